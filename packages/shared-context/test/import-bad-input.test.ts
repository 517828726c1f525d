import { chmodSync, mkdtempSync, mkdirSync, openSync, closeSync, ftruncateSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES, importFindings, importFindingsFile, mapSeverity, REJECTION_CODES } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleetkit-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inputs that are not findings', () => {
  it('rejects JSON nested 10,000 levels deep cleanly, as text and as a parsed value', () => {
    const text = '['.repeat(10_000) + ']'.repeat(10_000);
    const r = importFindings(text);
    expect(r.findings).toEqual([]);
    expect(r.rejected[0]?.code).toBe('too_deep');
    expect(r.rejected[0]?.path).toHaveLength(256);
    const obj = importFindings(JSON.parse('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)));
    expect(obj.rejected[0]?.code).toBe('too_deep');
  });

  it('accepts a nesting depth the caller allows', () => {
    const nested = { submission_metadata: { scanner: 'hypatia' }, findings: [{ severity: 'low', type: 't', deep: [[[[1]]]] }] };
    expect(importFindings(nested, { maxDepth: 4 }).rejected[0]?.code).toBe('too_deep');
    expect(importFindings(nested, { maxDepth: 10 }).findings).toHaveLength(1);
  });

  it('says what text is when it is not JSON', () => {
    expect(importFindings('').rejected[0]?.code).toBe('empty');
    expect(importFindings('  \n ').rejected[0]?.code).toBe('empty');
    expect(importFindings('1773540317.json').rejected[0]).toMatchObject({ code: 'filename_only', path: [] });
    const mixed = importFindings('\u001b[0;34m[INFO]\u001b[0m Scanning\n{"findings": []}\n').rejected[0];
    expect(mixed?.code).toBe('log_text');
    expect(mixed?.reason).toBe('the input is log output, not JSON (line 1: "[INFO] Scanning"); JSON seems to start at line 2: remove the log lines');
    expect(importFindings('[INFO] starting\n[ERROR] failed').rejected[0]?.code).toBe('log_text');
    const broken = importFindings('{\n  "a": 1,\n  "b": \n}');
    expect(broken.rejected[0]?.code).toBe('invalid_json');
    expect(broken.rejected[0]?.reason).toMatch(/^not valid JSON: Unexpected token/);
    expect(importFindings({ hello: 'world' }).rejected[0]).toMatchObject({ code: 'unknown_format' });
    expect(importFindings(42).rejected[0]?.code).toBe('unknown_format');
  });

  it('refuses text over the size limit without parsing it', () => {
    const r = importFindings('[' + ' '.repeat(2000) + ']', { maxBytes: 1000 });
    expect(r.rejected[0]?.code).toBe('too_large');
    expect(DEFAULT_MAX_BYTES).toBe(256 * 1024 * 1024);
  });

  it('refuses a file over the default limit from its size alone (a sparse 300 MB file is never read)', async () => {
    const big = path.join(dir, 'big.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 300 * 1024 * 1024);
    closeSync(fd);
    const r = await importFindingsFile(big);
    expect(r.rejected[0]).toMatchObject({ code: 'too_large' });
    expect(r.bytes).toBe(300 * 1024 * 1024);
  });

  it('rejects a dangling symlink, a directory and an unknown forced format with a reason', async () => {
    symlinkSync(path.join(dir, 'nowhere.json'), path.join(dir, 'dangling.json'));
    expect((await importFindingsFile(path.join(dir, 'dangling.json'))).rejected[0]).toMatchObject({ code: 'unreadable' });
    mkdirSync(path.join(dir, 'sub'));
    expect((await importFindingsFile(path.join(dir, 'sub'))).rejected[0]).toMatchObject({ code: 'not_a_file' });
    writeFileSync(path.join(dir, 'ok.json'), '[]');
    expect((await importFindingsFile(path.join(dir, 'ok.json'), { format: 'nope' as 'sarif' })).rejected[0]?.code).toBe('unknown_format');
  });

  // root reads any file whatever its mode, so only an ordinary user can see EACCES.
  it.skipIf(process.getuid?.() === 0)('rejects a file it may not read as unreadable', async () => {
    const locked = path.join(dir, 'locked.json');
    writeFileSync(locked, '[]');
    chmodSync(locked, 0o000);
    expect((await importFindingsFile(locked)).rejected[0]).toMatchObject({ code: 'unreadable', reason: 'cannot read: permission denied' });
  });

  it('never throws, whatever JSON or text it is given, and every rejection has a known code and a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.json()), (input) => {
        const r = importFindings(input);
        for (const x of r.rejected) {
          expect(REJECTION_CODES).toContain(x.code);
          expect(x.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on records of a known shape with arbitrary field values', () => {
    const record = fc.dictionary(fc.constantFrom('severity', 'type', 'pattern', 'file', 'line', 'message', 'location', 'id', 'auto_fixable', '__proto__'), fc.jsonValue());
    fc.assert(
      fc.property(fc.array(record), fc.constantFrom('submission', 'sarif', 'eslint'), (records, shape) => {
        const input =
          shape === 'submission' ? { submission_metadata: { scanner: 'hypatia' }, findings: records }
          : shape === 'sarif' ? { version: '2.1.0', runs: [{ tool: { driver: { name: 't' } }, results: records }] }
          : [{ filePath: 'a.js', messages: records }];
        const r = importFindings(input, { dedupe: false });
        expect(r.findings.length + r.rejected.length).toBe(records.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('severity spellings', () => {
  it('maps the five corpus spellings and the SARIF, npm and LSP ones in any case', () => {
    const table: [string, string][] = [
      ['critical', 'error'], ['high', 'error'], ['error', 'error'], ['medium', 'warning'], ['warning', 'warning'], ['moderate', 'warning'],
      ['low', 'info'], ['info', 'info'], ['note', 'info'], ['none', 'info'], ['suggestion', 'suggestion'], ['hint', 'suggestion'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...table), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), ([raw, expected], upper) => {
        const mixed = [...raw].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        expect(mapSeverity(mixed)).toBe(expected);
      }),
    );
    expect(mapSeverity('urgent')).toBeUndefined();
    expect(mapSeverity(3)).toBeUndefined();
  });
});
