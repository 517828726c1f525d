// The HTTP API client: JSON GETs, ApiError, session URLs, query strings and session-guarded loads.

import { requireLogin } from './login.js';
import { showError } from './notify.js';
import { state } from './state.js';

export const enc = encodeURIComponent;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GETs JSON from the API; an error answer becomes an ApiError with the API's message. Asks to sign in when reads need a token. */
export async function api(path, retried = false) {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (res.status === 401 && !retried) {
    await requireLogin();
    return api(path, true);
  }
  const text = await res.text();
  let body;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'FK_HTTP', body?.error?.message ?? `HTTP ${res.status} for ${path}`);
  return body;
}

export const sessionUrl = (suffix = '', id = state.sessionId) => `/api/sessions/${enc(id)}${suffix}`;

export function query(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s === '' ? '' : `?${s}`;
}

/** Loads something of the current session and applies it, unless another session was opened meanwhile. */
export async function forSession(load, apply) {
  const gen = state.gen;
  try {
    const value = await load();
    if (gen === state.gen) apply(value);
  } catch (err) {
    if (gen === state.gen) showError(err);
  }
}
