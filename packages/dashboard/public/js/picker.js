// The session picker: repository and session selects, and the session in the URL hash.

import { api, enc, query } from './api.js';
import { $, fill, h } from './dom.js';
import { fmtDate, plural, truncate } from './format.js';
import { showError } from './notify.js';
import { state } from './state.js';

/** The session id in the URL hash (#session=<id>). */
export function hashSession() {
  const m = /(?:^|&)session=([^&]*)/.exec(window.location.hash.slice(1));
  if (m === null || m[1] === '') return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

export async function loadRepos() {
  const { repos } = await api('/api/repos');
  state.repos = repos;
  fill(
    $('repo-select'),
    repos.map((r) => h('option', { value: r.name }, `${r.name} (${plural(r.sessions, 'session')})`)),
  );
  if (state.session !== undefined) $('repo-select').value = state.session.repoName;
}

async function loadSessionList(repo) {
  const { sessions } = await api(`/api/sessions${query({ repo })}`);
  fill(
    $('session-select'),
    sessions.map((s, i) => h('option', { value: s.sessionId }, `${fmtDate(s.modifiedAt)} · ${truncate(s.sessionId, 14)}${i === 0 ? ' (latest)' : ''}`)),
  );
}

/** Shows the session's repository and the session in the picker. */
export async function syncPicker(repo, id) {
  const gen = state.gen;
  try {
    if (!state.repos.some((r) => r.name === repo)) await loadRepos();
    if (gen !== state.gen) return;
    $('repo-select').value = repo;
    await loadSessionList(repo);
    if (gen === state.gen) $('session-select').value = id;
  } catch (err) {
    if (gen === state.gen) showError(err);
  }
}

/** Selecting a session changes the hash; the hashchange listener opens it. */
function navigate(sessionId) {
  if (sessionId !== state.sessionId) window.location.hash = `session=${enc(sessionId)}`;
}

/** Binds the selects and the hash; `openSession(id)` is called when the hash names another session. */
export function bindPicker(openSession) {
  $('repo-select').addEventListener('change', () => {
    const repo = state.repos.find((r) => r.name === $('repo-select').value);
    if (repo?.latestSessionId) navigate(repo.latestSessionId);
    else if (repo !== undefined) showError(`Repository "${repo.name}" has history but no stored session.`);
  });
  $('session-select').addEventListener('change', () => navigate($('session-select').value));
  window.addEventListener('hashchange', () => {
    const id = hashSession();
    if (id !== undefined && id !== state.sessionId) void openSession(id);
  });
}
