// The findings table: one page of findings as rows, counts and pager, roving keyboard focus.

import { $, cls, fill, h } from './dom.js';
import { renderCategoryList } from './filters.js';
import { openDetail, renderDetail } from './finding-detail.js';
import { numberFmt, plural, where } from './format.js';
import { announce } from './notify.js';
import { state } from './state.js';

export function renderFindings() {
  const tbody = $('findings-table').tBodies[0];
  const page = state.page;
  const focusedId = document.activeElement?.closest?.('#findings-table tbody tr')?.getAttribute('data-id');
  const items = page?.items ?? [];
  fill(tbody, items.map(findingRow));
  const rows = [...tbody.rows];
  const start = state.cursorStack.length * state.limit;
  $('findings-empty').hidden = page === undefined || items.length > 0;
  $('findings-count').textContent = page === undefined ? (state.sessionId === undefined ? '' : 'Loading findings…') : `${plural(page.total, 'finding')} ${page.total === 1 ? 'matches' : 'match'} the filters.`;
  $('page-info').textContent = page === undefined || items.length === 0 ? '' : `Page ${state.cursorStack.length + 1}: ${start + 1}–${start + items.length} of ${numberFmt.format(page.total)}`;
  $('prev-page').disabled = state.cursorStack.length === 0;
  $('next-page').disabled = page?.nextCursor == null;

  // Roving tabindex: one row is in the tab order; arrow keys move between rows.
  const keep = rows.find((r) => r.getAttribute('data-id') === focusedId) ?? rows.find((r) => r.getAttribute('data-id') === state.selectedId) ?? rows[0];
  if (keep !== undefined) keep.tabIndex = 0;
  if (focusedId !== undefined) (keep ?? $('findings-heading')).focus();

  if (state.announceNext !== undefined && page !== undefined) {
    announce($(state.announceNext).textContent);
    state.announceNext = undefined;
  }
  for (const f of items) state.categories.add(f.category);
  renderCategoryList();
  const selected = items.find((f) => f.id === state.selectedId);
  if (selected !== undefined && !$('finding-detail').hidden) renderDetail(selected);
}

function findingRow(f) {
  const selected = f.id === state.selectedId;
  return h(
    'tr',
    {
      tabindex: -1,
      'data-id': f.id,
      'data-severity': f.severity,
      class: `finding${selected ? ' selected' : ''}${f.fixed ? ' fixed' : ''}`,
      'aria-current': selected ? 'true' : undefined,
      onclick: () => openDetail(f, false),
      onkeydown: (e) => onRowKey(e, f),
      onfocus: (e) => focusRow(e.currentTarget),
    },
    h('td', {}, h('span', { class: `badge sev-${cls(f.severity)}` }, f.severity)),
    h('td', { class: 'mono bot' }, f.source),
    h('td', { class: 'mono rule' }, f.ruleId),
    h('td', { class: 'msg' }, f.message),
    h('td', { class: 'mono file' }, where(f)),
    h('td', {}, f.category === '' ? '—' : f.category),
    h('td', {}, f.fixed ? 'yes' : 'no'),
  );
}

function focusRow(row) {
  for (const r of row.parentElement.rows) r.tabIndex = r === row ? 0 : -1;
}

function onRowKey(e, f) {
  const row = e.currentTarget;
  const rows = [...row.parentElement.rows];
  const i = rows.indexOf(row);
  const go = (j) => {
    e.preventDefault();
    rows[Math.max(0, Math.min(rows.length - 1, j))]?.focus();
  };
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    openDetail(f, true);
  } else if (e.key === 'ArrowDown') go(i + 1);
  else if (e.key === 'ArrowUp') go(i - 1);
  else if (e.key === 'Home') go(0);
  else if (e.key === 'End') go(rows.length - 1);
}
