/**
 * importFindings: any supported input (parsed JSON or text) → findings,
 * rejected items with their paths and reasons, and the format detected.
 * Never throws on input: every problem becomes a rejection.
 */
import type { Finding } from '../findings/finding.js';
import { buildFinding } from '../findings/finding.js';
import type { Issue } from '../issue.js';
import { formatIssues } from '../issue.js';
import { dedupeFindings } from './dedupe.js';
import { findTooDeep } from './depth.js';
import { detectFormat } from './detect.js';
import { readDispatchRecord } from './dispatch-record.js';
import { readEslint } from './eslint.js';
import { readFleetkit } from './fleetkit.js';
import { readRdjson, readRdjsonl } from './rdjson.js';
import type { ReaderContext, ReaderOutput } from './record.js';
import { readSarif } from './sarif.js';
import { describe } from './scanner-finding.js';
import { readScanner } from './scanner-submission.js';
import { parseText } from './text.js';
import type { ImportFormat, ImportOptions, ImportResult, RejectedItem } from './types.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, IMPORT_FORMATS } from './types.js';

/**
 * Imports findings from `input`: a string (JSON, or JSON Lines for rdjsonl)
 * or an already parsed JSON value. Detects the format (or uses
 * `options.format`), reads every record it can and lists every one it
 * cannot in `rejected` with its path and reason.
 */
export function importFindings(input: unknown, options: ImportOptions = {}): ImportResult {
  try {
    return importUnsafe(input, options);
  } catch (err) {
    // Readers are written not to throw; this is the last line that keeps a bad input from crashing a batch.
    const reason = err instanceof Error ? err.message : String(err);
    return { findings: [], rejected: [{ path: [], code: 'invalid_shape', reason: `could not read the input: ${reason}` }], format: undefined };
  }
}

function importUnsafe(input: unknown, options: ImportOptions): ImportResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const rejectAll = (r: RejectedItem, format?: ImportFormat): ImportResult => ({ findings: [], rejected: [r], format });
  if (options.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(options.format)) {
    return rejectAll({ path: [], code: 'unknown_format', reason: `unknown format "${String(options.format)}" (expected one of ${IMPORT_FORMATS.join(', ')})` });
  }
  let value: unknown = input;
  let lines: { line: number; value: unknown }[] | undefined;
  if (typeof input === 'string') {
    if (input.length > maxBytes) return rejectAll({ path: [], code: 'too_large', reason: `the input is ${input.length} bytes, more than the limit of ${maxBytes}` });
    const parsed = parseText(input);
    if (parsed.kind === 'rejected') return rejectAll(parsed.rejection);
    if (parsed.kind === 'jsonl') lines = [...parsed.lines];
    else value = parsed.value;
  }
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const deep = findTooDeep(lines ?? value, maxDepth + (lines === undefined ? 0 : 1));
  if (deep !== undefined) {
    return rejectAll({ path: deep, code: 'too_deep', reason: `the input is nested more than ${maxDepth} levels deep` });
  }
  const format = options.format ?? (lines === undefined ? detectFormat(value) : 'rdjsonl');
  if (format === undefined) {
    return rejectAll({ path: [], code: 'unknown_format', reason: `not a supported findings format (${shapeOf(value)}); expected one of ${IMPORT_FORMATS.join(', ')}` });
  }
  const ctx: ReaderContext = { source: options.source, rootDir: options.rootDir };
  if (format === 'rdjsonl' && lines === undefined) lines = Array.isArray(value) ? value.map((v, i) => ({ line: i + 1, value: v as unknown })) : [{ line: 1, value }];
  const out = read(format, value, lines, ctx);
  const issues: Issue[] = [];
  const findings: Finding[] = [];
  const rejected = [...out.rejected];
  for (const c of out.candidates) {
    const before = issues.length;
    // The repository a record names goes into metadata, so de-duplication across files keeps repositories apart.
    if (c.scope !== undefined && typeof c.input.metadata === 'object' && c.input.metadata !== null) (c.input.metadata as Record<string, unknown>).repo = c.scope;
    const f = buildFinding(c.input, { path: c.path, now: options.now }, issues);
    if (f !== undefined) {
      findings.push(f);
    } else {
      rejected.push({ path: c.path, code: 'invalid_finding', reason: formatIssues(issues.slice(before)) });
    }
  }
  return { findings: options.dedupe === false ? findings : dedupeFindings(findings), rejected, format };
}

function read(format: ImportFormat, value: unknown, lines: { line: number; value: unknown }[] | undefined, ctx: ReaderContext): ReaderOutput {
  const mismatch = (expected: string): ReaderOutput => ({
    candidates: [],
    rejected: [{ path: [], code: 'invalid_shape', reason: `expected ${expected} for format "${format}", got ${describe(value)}` }],
  });
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  switch (format) {
    case 'sarif':
      return isObject ? readSarif(value as Record<string, unknown>, ctx) : mismatch('an object');
    case 'eslint':
      return Array.isArray(value) ? readEslint(value, ctx) : mismatch('an array');
    case 'rdjson':
      return isObject && Array.isArray((value as { diagnostics?: unknown }).diagnostics) ? readRdjson(value as Record<string, unknown>, ctx) : mismatch('an object with "diagnostics"');
    case 'rdjsonl':
      return readRdjsonl(lines ?? [], ctx);
    case 'scanner-submission':
    case 'scan-report':
      return isObject ? readScanner(value, format, ctx) : mismatch('an object');
    case 'scanner-array':
      return Array.isArray(value) ? readScanner(value, format, ctx) : mismatch('an array');
    case 'dispatch-record':
      return isObject ? readDispatchRecord(value as Record<string, unknown>, ctx) : mismatch('an object');
    case 'fleetkit-finding':
      return isObject ? readFleetkit(value, format) : mismatch('an object');
    case 'fleetkit-findings':
      return Array.isArray(value) ? readFleetkit(value, format) : mismatch('an array');
    case 'fleetkit-context':
    case 'fleetkit-report':
      return isObject ? readFleetkit(value, format) : mismatch('an object');
  }
}

/** A one-line description of an unrecognised value: its kind and first keys. */
function shapeOf(value: unknown): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).map((k) => JSON.stringify(k)).join(', ')}${keys.length > 6 ? ', …' : ''}`;
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${describe(value[0])}s`;
  return describe(value);
}
