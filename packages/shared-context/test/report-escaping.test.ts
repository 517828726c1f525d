import { describe, expect, it } from 'vitest';
import { Context, GITHUB_COMMENT_LIMIT, escapeMarkdown, generateReport, parseReport } from '../src/index.js';
import type { FindingInput } from '../src/index.js';
import { sarifValidator } from './support/sarif.js';

const now = () => Date.UTC(2026, 0, 1);
const HOSTILE: string[] = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '| col | injected |\n|---|---|\n| x | y |',
  '```\ncode fence\n```',
  '`tick` **bold** _em_ [link](javascript:alert(1)) ![img](x) # heading',
  'line1\r\nline2\rline3\nline4',
  'ctrl \u0000\u0001\u0007\u001b[31m\u007f\u0085 chars',
  'lone high \ud800 and lone low \udc00 surrogates',
  'emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 non-BMP',
  '&amp; &lt; entities" \' = `',
  '--> <!-- comment breakers -->',
];

function hostileSession(extra: FindingInput[] = []): Context {
  const ctx = new Context('hostile|<repo>', '/tmp/<x>', { now, sessionId: 's' });
  ctx.registerBot('evil-bot', { name: '<b>Evil</b> | bot' });
  ctx.addFindings([
    ...HOSTILE.map((m, i) => ({ id: `h${i}`, source: 'evil-bot', ruleId: `rule|${i}<x>`, severity: (['error', 'warning', 'info', 'suggestion'] as const)[i % 4]!, message: m, file: `dir/${m.slice(0, 12)}.ts`, line: i + 1, suggestion: m, category: m.slice(0, 8) })),
    ...extra,
  ]);
  return ctx;
}

/** Cells of a GFM table row: split on pipes not escaped with a backslash. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

/** Every table row keeps its columns, and no HTML or markup from input gets through. */
function expectSafeMarkdown(md: string): void {
  const lines = md.split('\n');
  let width = 0;
  for (const line of lines) {
    if (/^\|---/.test(line)) width = cells(line).length;
    else if (line.startsWith('|') && width > 0) expect(cells(line), line).toHaveLength(width);
    else if (!line.startsWith('|')) width = 0;
  }
  // Code spans are inert (GFM shows their content literally); everywhere else no tag may survive.
  // A backslash-escaped backtick (escaped text, e.g. a justification) opens no code span.
  const outsideCode = md.replace(/(?<!\\)(`+)(?:(?!\1)[\s\S])*?\1/g, '');
  expect(outsideCode).not.toMatch(/<script|<img|onerror=alert\(1\)>|<!--/);
  expect(md).not.toMatch(/\]\(javascript:/);
  expect(md.isWellFormed()).toBe(true);
  // eslint-disable-next-line no-control-regex
  expect(md).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
}

describe('reports with hostile findings', () => {
  it('Markdown: every table row keeps its columns, and no HTML or markup gets through', () => {
    const md = generateReport(hostileSession(), 'markdown', { now });
    expectSafeMarkdown(md);
    expect(md).toContain('😀');
  });

  it('escapeMarkdown neutralises each special character', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('<x>&')).toBe('&lt;x&gt;&amp;');
    expect(escapeMarkdown('*_`[]')).toBe('\\*\\_\\`\\[\\]');
    expect(escapeMarkdown('a\nb')).toBe('a<br>b');
    expect(escapeMarkdown('\ud800')).toBe('\ufffd');
  });

  it('HTML: finding text appears only escaped; the only script is ours', () => {
    const html = generateReport(hostileSession(), 'html', { now });
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;Evil&lt;/b&gt;');
    expect(html.isWellFormed()).toBe(true);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*script-src 'sha256-[A-Za-z0-9+/]+(=|&#x3D;)*'/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('JSON: valid, parses back, and keeps the text (with lone surrogates made well-formed by JSON escaping)', () => {
    const ctx = hostileSession();
    const text = generateReport(ctx, 'json', { now });
    const report = parseReport(text);
    const messages = report.groups.flatMap((g) => g.findings.map((f) => f.message));
    expect(messages).toContain('<script>alert(1)</script>');
    expect(messages).toContain(HOSTILE[2]);
  });

  it('SARIF: still validates against the schema', () => {
    const validate = sarifValidator();
    const log = JSON.parse(generateReport(hostileSession(), 'sarif', { now })) as unknown;
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('a 1 MB message gives well-formed reports in every format', () => {
    const big = `${'A'.repeat(512 * 1024)}😀${'<b>|'.repeat(128 * 1024)}`;
    const ctx = hostileSession([{ id: 'big', source: 'evil-bot', ruleId: 'huge', severity: 'error', message: big }]);
    const md = generateReport(ctx, 'markdown', { now });
    expect(md.length).toBeGreaterThan(1_000_000);
    expect(md.isWellFormed()).toBe(true);
    expect(parseReport(generateReport(ctx, 'json', { now })).summary.totalFindings).toBe(HOSTILE.length + 1);
    expect(sarifValidator()(JSON.parse(generateReport(ctx, 'sarif', { now })))).toBe(true);
    expect(generateReport(ctx, 'html', { now }).isWellFormed()).toBe(true);
  });
});

// A justification comes from a suppressions file: outside data like a finding's message.
const JUSTIFICATION = 'ok <script>alert(1)</script> | col | `tick` ```fence``` **b**\n]]> line2\r\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) <!-- c --> \u0007 \ud800';

function suppressedOptions() {
  return {
    now,
    suppressions: new Map([
      ['h0', { justification: JUSTIFICATION }],
      ['h5', { justification: 'a|b\nc]]>', expires: '2026-12-31' }],
    ]),
    newFindings: new Set(['h1', 'h5']),
  };
}

describe('suppression justifications from input', () => {
  it('Markdown: the Status column keeps every row intact and the justification inert', () => {
    for (const target of [undefined, 'github-comment'] as const) {
      const md = generateReport(hostileSession(), 'markdown', { ...suppressedOptions(), target });
      // A comment starts with our own marker (an HTML comment); the rest must hold none.
      expectSafeMarkdown(target === undefined ? md : md.slice(md.indexOf('\n') + 1));
      expect(md).toContain('🔇 **suppressed** (expires 2026-12-31): a\\|b<br>c\\]\\]&gt;');
      expect(md).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| col \\| \\`tick\\` \\`\\`\\`fence\\`\\`\\` \\*\\*b\\*\\*<br>\\]\\]&gt; line2<br>&lt;img');
      expect(md.match(/🆕 \*\*new\*\*/g)).toHaveLength(2);
    }
  });

  it('HTML: the justification is escaped text beside its badge; the only script is ours', () => {
    const html = generateReport(hostileSession(), 'html', suppressedOptions());
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<!-- c -->');
    expect(html).toContain(
      '<span class="badge badge-suppressed">suppressed</span><span class="justification">ok &lt;script&gt;alert(1)&lt;/script&gt; | col | &#x60;tick&#x60; &#x60;&#x60;&#x60;fence&#x60;&#x60;&#x60; **b**\n]]&gt; line2\r\n&lt;img src&#x3D;x',
    );
    expect(html).toContain('<span class="muted">(expires 2026-12-31)</span><span class="justification">a|b\nc]]&gt;</span>');
    expect(html.isWellFormed()).toBe(true);
  });

  it('JSON and SARIF keep the justification as data (JSON-escaped), and SARIF still validates', () => {
    const ctx = hostileSession();
    const report = parseReport(generateReport(ctx, 'json', suppressedOptions()));
    const h0 = report.groups.flatMap((g) => g.findings).find((f) => f.id === 'h0');
    expect(h0?.suppression?.justification.startsWith('ok <script>alert(1)</script> | col |')).toBe(true);
    const log = JSON.parse(generateReport(ctx, 'sarif', suppressedOptions())) as { runs: Array<{ results: Array<{ suppressions?: Array<{ justification: string }> }> }> };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const justifications = log.runs[0]!.results.flatMap((r) => r.suppressions ?? []).map((x) => x.justification);
    expect(justifications).toHaveLength(2);
    expect(justifications.every((j) => j.isWellFormed())).toBe(true);
  });
});

describe('Markdown for a GitHub comment', () => {
  function many(n: number, size: number): Context {
    const ctx = new Context('big-repo', '/r', { now, sessionId: 's' });
    ctx.registerAllBots();
    // Non-BMP characters everywhere, so a cut in the wrong place would split a surrogate pair.
    const body = '😀'.repeat(size / 2);
    ctx.addFindings(Array.from({ length: n }, (_, i) => ({ source: 'rhodibot', ruleId: `r${i % 7}`, severity: (['error', 'warning', 'info'] as const)[i % 3]!, message: `${i} ${body}`, file: `f${i}.ts`, line: 1 })));
    return ctx;
  }

  it('stays under the comment limit with thousands of long findings, never splitting a surrogate pair', () => {
    const md = generateReport(many(5000, 900), 'markdown', { target: 'github-comment', now });
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md.isWellFormed()).toBe(true);
    expect(md).toMatch(/… and \d+ more findings not shown \(GitHub comment limit\)/);
  });

  it('stays under the comment limit with a Status column and long justifications on every finding', () => {
    const ctx = many(5000, 900);
    const ids = ctx.findings.all().map((f) => f.id);
    const long = `because ${'😀|<b>'.repeat(2000)}`;
    const md = generateReport(ctx, 'markdown', { target: 'github-comment', now, suppressions: new Map(ids.map((id) => [id, { justification: long }])), newFindings: new Set(ids.slice(0, 10)) });
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md.isWellFormed()).toBe(true);
    expect(md).toContain('| Suppressed | 5000 |');
    expect(md).toContain('| Status | Bot |');
    expect(md).toMatch(/… and \d+ more findings not shown \(GitHub comment limit\)/);
  });

  it('starts with the marker, folds groups into <details>, and keeps a small report whole', () => {
    const md = generateReport(many(6, 20), 'markdown', { target: 'github-comment', now });
    expect(md.startsWith('<!-- fleetkit-report:big-repo -->\n')).toBe(true);
    expect(md).toContain('<details open>\n<summary>❌ Errors (2)</summary>');
    expect(md).toContain('<details>\n<summary>⚠️ Warnings (2)</summary>');
    expect(md.match(/<\/details>/g)).toHaveLength(3);
    expect(md).not.toContain('not shown');
  });

  it('keeps the marker a well-formed HTML comment whatever the repo name', () => {
    const ctx = new Context('a-->b<script>', '/r', { now });
    const md = generateReport(ctx, 'markdown', { target: 'github-comment', now });
    expect(md.split('\n')[0]).toBe('<!-- fleetkit-report:a-_b_script_ -->');
  });
});
