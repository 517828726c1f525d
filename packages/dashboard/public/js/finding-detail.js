// The finding detail pane: every field of the selected finding and its metadata.

import { $, fill, h } from './dom.js';
import { fmtDate } from './format.js';
import { state } from './state.js';

export function openDetail(f, moveFocus) {
  state.selectedId = f.id;
  for (const r of $('findings-table').tBodies[0].rows) {
    const on = r.getAttribute('data-id') === f.id;
    r.classList.toggle('selected', on);
    if (on) r.setAttribute('aria-current', 'true');
    else r.removeAttribute('aria-current');
  }
  renderDetail(f);
  $('finding-detail').hidden = false;
  $('findings').classList.add('with-detail');
  if (moveFocus) $('detail-heading').focus();
  else $('finding-detail').scrollIntoView({ block: 'nearest' });
}

export function renderDetail(f) {
  const yesNo = (b) => (b ? 'yes' : 'no');
  const fields = [
    ['message', 'Message', f.message],
    ['severity', 'Severity', f.severity],
    ['source', 'Bot', f.source],
    ['ruleId', 'Rule id', f.ruleId],
    ['ruleName', 'Rule name', f.ruleName],
    ['category', 'Category', f.category],
    ['file', 'File', f.file],
    ['line', 'Line', f.line],
    ['column', 'Column', f.column],
    ['element', 'Element', f.element],
    ['suggestion', 'Suggestion', f.suggestion],
    ['fixable', 'Fixable', yesNo(f.fixable)],
    ['fixed', 'Fixed', yesNo(f.fixed)],
    ['createdAt', 'Created', f.createdAt === undefined ? undefined : `${fmtDate(f.createdAt)} (${f.createdAt})`],
    ['related', 'Related', f.related?.length ? f.related.join(', ') : undefined],
    ['recipeId', 'Recipe', f.recipeId],
    ['confidence', 'Confidence', f.confidence],
    ['id', 'Id', f.id],
  ];
  $('detail-heading').textContent = `${f.severity}: ${f.ruleId}`;
  fill(
    $('detail-fields'),
    fields.map(([key, label, value]) =>
      h('div', { class: 'field-row' }, h('dt', {}, label), h('dd', { 'data-field': key, class: value === undefined || value === '' ? 'muted' : undefined }, value === undefined || value === '' ? '—' : String(value))),
    ),
  );
  $('detail-metadata').textContent = JSON.stringify(f.metadata ?? {}, null, 2);
}

export function closeDetail(restoreFocus) {
  const id = state.selectedId;
  state.selectedId = undefined;
  $('finding-detail').hidden = true;
  $('findings').classList.remove('with-detail');
  for (const r of $('findings-table').tBodies[0].rows) {
    r.classList.remove('selected');
    r.removeAttribute('aria-current');
  }
  if (!restoreFocus) return;
  const row = [...$('findings-table').tBodies[0].rows].find((r) => r.getAttribute('data-id') === id);
  (row ?? $('findings-heading')).focus();
}
