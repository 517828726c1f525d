import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dedupeFindings, importFindingsFile, REJECTION_CODES, sightingsOf } from '../src/index.js';
import type { Finding, FileImportResult } from '../src/index.js';
import { requireCorpus } from './support/paths.js';

const findingsDir = path.resolve(requireCorpus(), 'gitbot-fleet', 'findings');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * The test's own reading of a raw corpus file, independent of the importer's
 * detection: JSON or not, which shape by its keys, and how many findings.
 */
function classify(file: string): { shape: string; findings: number } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { shape: 'rejected', findings: 0 };
  }
  if (Array.isArray(value)) return { shape: 'scanner-array', findings: value.length };
  const o = value as Record<string, unknown>;
  if ('submission_metadata' in o) return { shape: 'scanner-submission', findings: (o.findings as unknown[]).length };
  if ('scan_timestamp' in o) return { shape: 'scan-report', findings: (o.findings as unknown[]).length };
  if ('pattern_id' in o) return { shape: 'dispatch-record', findings: 1 };
  return { shape: 'unexpected', findings: 0 };
}

describe('importing the original fleet findings directory', async () => {
  const files = listFiles(findingsDir).sort();
  const expected = files.map(classify);
  const results: FileImportResult[] = [];
  for (const f of files) results.push(await importFindingsFile(f, { dedupe: false }));

  it('finds every shape of the corpus in the raw files', () => {
    const shapes = new Set(expected.map((e) => e.shape));
    expect(shapes).toEqual(new Set(['scanner-submission', 'scanner-array', 'scan-report', 'dispatch-record', 'rejected']));
    // The corpus README speaks of "about fifty" invalid files.
    const rejected = expected.filter((e) => e.shape === 'rejected').length;
    expect(rejected).toBeGreaterThan(40);
    expect(rejected).toBeLessThan(60);
  });

  it('imports or rejects each file as the raw count says, per shape', () => {
    const count = (list: (string | undefined)[]): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const k of list) out[k ?? 'rejected'] = (out[k ?? 'rejected'] ?? 0) + 1;
      return out;
    };
    expect(count(results.map((r) => r.format))).toEqual(count(expected.map((e) => e.shape)));
    results.forEach((r, i) => {
      const e = expected[i] as { shape: string };
      expect(r.format ?? 'rejected', files[i]).toBe(e.shape);
    });
  });

  it('rejects no record of a valid file and imports every finding of it', () => {
    results.forEach((r, i) => {
      const e = expected[i] as { shape: string; findings: number };
      if (e.shape === 'rejected') return;
      expect(r.rejected, files[i]).toEqual([]);
      expect(r.findings.length, files[i]).toBe(e.findings);
    });
  });

  it('gives every rejection a code and a reason', () => {
    const rejections = results.flatMap((r) => r.rejected);
    expect(rejections.length).toBe(expected.filter((e) => e.shape === 'rejected').length);
    for (const r of rejections) {
      expect(REJECTION_CODES).toContain(r.code);
      expect(r.reason.length).toBeGreaterThan(10);
      expect(Array.isArray(r.path)).toBe(true);
    }
  });

  it('tells the kinds of invalid file apart', () => {
    const codeOf = (name: string): string | undefined => results[files.findIndex((f) => f.endsWith(name))]?.rejected[0]?.code;
    expect(codeOf('proven/latest.json')).toBe('filename_only');
    expect(codeOf('valence-shell/20260206-213757.json')).toBe('empty');
    expect(codeOf('hypatia-echidnabot-20260206-211633.json')).toBe('log_text');
    expect(codeOf('self-scans/SELF-SCAN-SUMMARY.md')).toBe('invalid_json');
  });

  it('loses no valid finding when de-duplicating: imported sightings add up to the raw count', () => {
    const raw = expected.reduce((n, e) => n + e.findings, 0);
    const all: Finding[] = results.flatMap((r) => r.findings);
    expect(all.length).toBe(raw);
    const merged = dedupeFindings(all);
    const duplicates = merged.reduce((n, f) => n + sightingsOf(f) - 1, 0);
    // latest.json copies of timestamped files make de-duplication do real work.
    expect(merged.length).toBeLessThan(raw);
    expect(merged.length + duplicates).toBe(raw);
  });

  it('keeps the original severity spelling and the whole record in metadata', () => {
    const dispatch = results[files.findIndex((f) => f.endsWith('pending/wokelang--PA004-raw-pointer-cast-in-src-ffi-c-.json'))] as FileImportResult;
    const f = dispatch.findings[0] as Finding;
    expect(f.severity).toBe('error');
    expect(f.metadata.originalSeverity).toBe('High');
    expect(f.metadata.record).toEqual(JSON.parse(readFileSync(path.join(findingsDir, 'pending/wokelang--PA004-raw-pointer-cast-in-src-ffi-c-.json'), 'utf8')));
    expect(f.ruleId).toBe('PA004');
    expect(f.recipeId).toBe('proven-substitute-UnsafeCode');
  });
});
