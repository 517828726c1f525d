// The reports panel: download links for the session's reports in each format.

import { sessionUrl } from './api.js';
import { $, fill, h } from './dom.js';
import { state } from './state.js';

const REPORTS = [
  ['markdown', 'Markdown', 'for a pull request or a wiki'],
  ['json', 'JSON', 'every finding, for programs'],
  ['html', 'HTML', 'a standalone page with a findings table'],
  ['sarif', 'SARIF', 'for code scanning tools'],
];

export function renderReports() {
  const id = state.sessionId;
  fill(
    $('report-links'),
    id === undefined
      ? h('li', { class: 'muted' }, 'Open a session to download its reports.')
      : REPORTS.map(([format, label, what]) =>
          h('li', {}, h('a', { href: sessionUrl(`/report/${format}`), download: '', class: 'button', 'data-format': format }, `${label} report`), ' ', h('span', { class: 'muted' }, what)),
        ),
  );
}
