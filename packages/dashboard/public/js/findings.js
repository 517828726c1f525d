// The findings explorer's controls: applying filters, loading pages with the cursor, paging and closing the detail.

import { api, ApiError, query, sessionUrl } from './api.js';
import { $ } from './dom.js';
import { readFilters } from './filters.js';
import { closeDetail } from './finding-detail.js';
import { renderFindings } from './findings-table.js';
import { showError } from './notify.js';
import { state } from './state.js';
import { debounce } from './timers.js';

/** New filters (or page size): back to the first page. */
function applyFilters() {
  state.filters = readFilters();
  state.limit = Number($('f-limit').value) || 50;
  state.cursor = undefined;
  state.cursorStack = [];
  state.announceNext = 'findings-count'; // tell screen readers how many match once the page is in
  if (state.sessionId !== undefined) void loadFindings();
}

export async function loadFindings() {
  if (state.sessionId === undefined) return;
  const seq = ++state.pageSeq;
  const gen = state.gen;
  const current = () => gen === state.gen && seq === state.pageSeq;
  try {
    const page = await api(sessionUrl(`/findings${query({ ...state.filters, limit: state.limit, cursor: state.cursor })}`));
    if (!current()) return;
    state.page = page;
    renderFindings();
  } catch (err) {
    if (!current()) return;
    if (err instanceof ApiError && err.status === 400 && state.cursor !== undefined) {
      // a cursor the server no longer accepts: start again from the first page
      state.cursor = undefined;
      state.cursorStack = [];
      return loadFindings();
    }
    showError(err);
  }
}

export function bindFindings() {
  const form = $('filters');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    applyFilters();
  });
  form.addEventListener('reset', () => setTimeout(applyFilters, 0));
  for (const id of ['f-bot', 'f-severity', 'f-tier', 'f-fixed', 'f-limit']) $(id).addEventListener('change', applyFilters);
  for (const id of ['f-category', 'f-file', 'f-q']) $(id).addEventListener('input', () => debounce('filter-text', 350, applyFilters));
  $('next-page').addEventListener('click', () => {
    if (state.page?.nextCursor == null) return;
    state.cursorStack.push(state.cursor ?? null);
    state.cursor = state.page.nextCursor;
    state.announceNext = 'page-info';
    void loadFindings();
  });
  $('prev-page').addEventListener('click', () => {
    if (state.cursorStack.length === 0) return;
    state.cursor = state.cursorStack.pop() ?? undefined;
    state.announceNext = 'page-info';
    void loadFindings();
  });
  $('detail-close').addEventListener('click', () => closeDetail(true));
  $('finding-detail').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeDetail(true);
  });
}
