import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, markdownCode, wellFormed } from '../src/report/escape.js';
import { jsonString, wellFormedJsonString } from '../src/report/json-string.js';

// The escapers as they were before their plain-text fast paths: every string
// must come out exactly as these write it.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const slowWellFormed = (t: string): string => t.toWellFormed().replace(CONTROL, '\uFFFD');
const MD: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '|': '\\|' };
const slowMarkdown = (t: string): string =>
  slowWellFormed(t)
    .replace(/[\\`*_{}[\]()#+!|~<>&]/g, (c) => MD[c] ?? `\\${c}`)
    .replace(/\r\n|\r|\n/g, '<br>')
    .replace(/\t/g, ' ');
function slowCode(t: string): string {
  const clean = slowWellFormed(t).replace(/[\r\n\t]+/g, ' ').replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of clean.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
const slowHtml = (t: string): string => slowWellFormed(t).replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);

// Plain text, markup, controls, and lone and paired surrogates, mixed.
const pieces = fc.oneof(
  fc.string(),
  fc.constantFrom('<', '>', '&', '|', '`', '``', '*', '_', '\\', '\r\n', '\n', '\r', '\t', '"', "'", '=', '\u0000', '\u007f', '\u0085', '\ud800', '\udfff', '😀', 'é', '#', '[x](y)'),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
);
const text = fc.array(pieces, { maxLength: 8 }).map((p) => p.join(''));

describe('escapers return plain text as it is and everything else as the full escaping does', () => {
  it('wellFormed, escapeMarkdown, markdownCode and escapeHtml agree with the replace chains', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(wellFormed(t)).toBe(slowWellFormed(t));
        expect(escapeMarkdown(t)).toBe(slowMarkdown(t));
        expect(markdownCode(t)).toBe(slowCode(t));
        expect(escapeHtml(t)).toBe(slowHtml(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('plain text is returned unchanged (the same string)', () => {
    const plain = 'Test finding with some detail';
    expect(escapeMarkdown(plain)).toBe(plain);
    expect(escapeHtml(plain)).toBe(plain);
    expect(wellFormed(plain)).toBe(plain);
    expect(markdownCode('TEST-001')).toBe('`TEST-001`');
  });
});

describe('jsonString', () => {
  it('writes what JSON.stringify writes for any string', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(jsonString(t)).toBe(JSON.stringify(t));
        expect(wellFormedJsonString(t)).toBe(JSON.stringify(slowWellFormed(t)));
      }),
      { numRuns: 5000 },
    );
    expect(jsonString('plain')).toBe('"plain"');
  });
});
