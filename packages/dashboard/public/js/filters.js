// The findings filter form: reading its fields and filling its bot and category options.

import { $, fill, h } from './dom.js';
import { state } from './state.js';

const FILTER_FIELDS = ['bot', 'severity', 'category', 'tier', 'file', 'q', 'fixed'];

export function readFilters() {
  const f = {};
  for (const name of FILTER_FIELDS) {
    const v = $(`f-${name}`).value;
    if (v !== '') f[name] = v;
  }
  return f;
}

export function renderBotFilter() {
  const select = $('f-bot');
  const value = select.value;
  fill(select, h('option', { value: '' }, 'All bots'), state.bots.map((b) => h('option', { value: b.id }, b.name === b.id ? b.id : `${b.name} (${b.id})`)));
  select.value = state.bots.some((b) => b.id === value) ? value : '';
}

export function renderCategoryList() {
  fill($('category-list'), [...state.categories].filter((c) => c !== '').sort().map((c) => h('option', { value: c })));
}
