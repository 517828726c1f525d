/**
 * The original fleet's scanner shapes: submissions (`submission_metadata` +
 * `findings[]`), the documented scan report (`repo`, `scan_timestamp`,
 * `findings[].location`) and bare arrays of scanner findings.
 */
import type { JsonObject } from '../json-value.js';
import type { ReaderContext, ReaderOutput } from './record.js';
import { isRecord, rest, str } from './record.js';
import { describe, readScannerFinding } from './scanner-finding.js';
import type { ImportFormat } from './types.js';

/** True for a scanner submission: `submission_metadata` object and a `findings` key. */
export function isScannerSubmission(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && isRecord(value.submission_metadata) && 'findings' in value;
}

/** True for the documented scan report: `repo`, `scan_timestamp` and `findings`. */
export function isScanReport(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.repo === 'string' && 'scan_timestamp' in value && 'findings' in value;
}

/** True for a non-empty array whose first element looks like a scanner finding. */
export function isScannerArray(value: unknown): value is unknown[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first: unknown = value[0];
  return isRecord(first) && 'severity' in first && ('type' in first || 'pattern' in first) && !('ruleId' in first);
}

/** Reads any of the three scanner shapes. */
export function readScanner(value: unknown, format: ImportFormat, ctx: ReaderContext): ReaderOutput {
  const out: ReaderOutput = { candidates: [], rejected: [] };
  let items: unknown;
  let envelope: { tool?: unknown; data?: JsonObject; scope?: string } = {};
  if (Array.isArray(value)) {
    items = value;
  } else if (isRecord(value)) {
    items = value.findings;
    const meta = isRecord(value.submission_metadata) ? value.submission_metadata : value;
    envelope = { tool: meta.scanner ?? meta.scanner_version ?? value.scanner ?? value.tool, data: rest(value, ['findings']), scope: str(meta.repo) ?? str(value.repo) };
  }
  if (!Array.isArray(items)) {
    out.rejected.push({ path: ['findings'], code: 'invalid_shape', reason: `"findings" must be an array, got ${describe(items)}` });
    return out;
  }
  const prefix = Array.isArray(value) ? [] : ['findings'];
  items.forEach((item, i) => {
    const r = readScannerFinding(item, [...prefix, i], format, ctx, envelope);
    if ('input' in r) out.candidates.push(r);
    else out.rejected.push(r);
  });
  return out;
}
