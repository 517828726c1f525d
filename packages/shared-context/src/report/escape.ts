/**
 * Escaping of text that came from a finding, for each place it is written.
 * Everything from a finding passes through one of these before it reaches a
 * report; tests feed them hostile input (markup, table breakers, control
 * characters, lone surrogates).
 */

// C0 controls except tab/newline/carriage return, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

// Each escaper first tests for any character it would change (surrogates
// included, paired or not) and returns plain text as it is: most text in
// findings is plain, and one scan is cheaper than the chain of replaces.
// eslint-disable-next-line no-control-regex
const NEEDS_WELL_FORMED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const NEEDS_MARKDOWN = /[\\`*_{}[\]()#+!|~<>&\r\n\t\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const NEEDS_CODE = /[`|\r\n\t\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const NEEDS_HTML = /[&<>"'`=\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff]/;

/** Replaces lone surrogates with U+FFFD and drops control characters: text that any encoder accepts. */
export function wellFormed(text: string): string {
  if (!NEEDS_WELL_FORMED.test(text)) return text;
  return text.toWellFormed().replace(CONTROL, '\uFFFD');
}

const MD_SPECIAL = /[\\`*_{}[\]()#+!|~<>&]/g;
const MD_REPLACEMENT: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '|': '\\|' };

/**
 * Text for one cell of a GitHub-flavoured Markdown table (or inline text):
 * `|` cannot end the cell, newlines cannot end the row, backticks, emphasis,
 * links and headings are inert, and `<`, `>`, `&` are entities so no HTML
 * can be injected.
 */
export function escapeMarkdown(text: string): string {
  if (!NEEDS_MARKDOWN.test(text)) return text;
  return wellFormed(text)
    .replace(MD_SPECIAL, (c) => MD_REPLACEMENT[c] ?? `\\${c}`)
    .replace(/\r\n|\r|\n/g, '<br>')
    .replace(/\t/g, ' ');
}

/** Text as an inline code span whose content cannot break out (backticks and pipes neutralised). */
export function markdownCode(text: string): string {
  if (!NEEDS_CODE.test(text)) return `\`${text}\``;
  const clean = wellFormed(text).replace(/[\r\n\t]+/g, ' ').replace(/\|/g, '\\|');
  // A code span is delimited by a run of backticks longer than any run inside it.
  let longest = 0;
  for (const m of clean.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  if (!NEEDS_HTML.test(text)) return text;
  return wellFormed(text).replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Cuts `text` to at most `max` UTF-16 code units without splitting a
 * surrogate pair, adding `…` when it cut anything.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // do not leave a high surrogate without its pair
  return `${text.slice(0, end)}…`;
}
