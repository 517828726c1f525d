/**
 * The reporters' entry points: a whole report as a string, or streamed to a
 * writable. They take a {@link SessionView}: `Context.generateReport` calls in
 * here, so nothing here may import the class back.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { SessionView } from '../context/session-view.js';
import { renderHtml } from './html.js';
import { jsonChunks } from './json.js';
import { markdownChunks } from './markdown.js';
import { buildReport } from './model.js';
import type { ReportFormat, ReportOptions } from './options.js';
import { checkFormat } from './options.js';
import { sarifChunks } from './sarif.js';

function chunks(ctx: SessionView, format: ReportFormat, options?: ReportOptions): Iterable<string> {
  const model = buildReport(ctx, options);
  switch (format) {
    case 'markdown':
      return markdownChunks(model, options?.target);
    case 'json':
      return jsonChunks(model);
    case 'sarif':
      return sarifChunks(model);
    case 'html':
      return [renderHtml(model)];
  }
}

/**
 * A report of the context in `format` (`markdown`, `json`, `html` or `sarif`).
 * Throws a ValidationError for an unknown format or a bad option.
 */
export function generateReport(ctx: SessionView, format: ReportFormat, options?: ReportOptions): string {
  const f = checkFormat(format);
  let out = '';
  for (const c of chunks(ctx, f, options)) out += c;
  return out;
}

/**
 * Streams a report to `writable` chunk by chunk, waiting for `drain` when the
 * stream asks for it, so a report of 100,000 findings is never held whole in
 * memory (HTML, which is one page, is written at once). Does not end the stream.
 */
export async function writeReport(ctx: SessionView, format: ReportFormat, writable: Writable, options?: ReportOptions): Promise<void> {
  const f = checkFormat(format);
  for (const c of chunks(ctx, f, options)) {
    if (!writable.write(c)) await once(writable, 'drain');
  }
}
