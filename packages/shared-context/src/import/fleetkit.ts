/**
 * fleetkit's own JSON: one finding, an array of findings, a serialized
 * Context (`Context.toJSON`) or a JSON report (`groups[].findings[]`).
 * Findings are taken as they are; in a report, the derived `fingerprint` is
 * dropped and any other field a finding does not have is kept under
 * `metadata.extra`.
 */
import type { JsonObject, JsonValue } from '../json-value.js';
import { setOwn } from '../json-value.js';
import type { ReaderOutput } from './record.js';
import { isRecord } from './record.js';
import { describe } from './scanner-finding.js';
import type { ImportFormat } from './types.js';

const FINDING_KEYS = new Set([
  'id', 'source', 'ruleId', 'ruleName', 'severity', 'message', 'category', 'file', 'line', 'column', 'element',
  'suggestion', 'fixable', 'fixed', 'createdAt', 'related', 'metadata', 'recipeId', 'confidence',
]);

/** True for a fleetkit finding: `source`, `ruleId`, `severity` and `message`. */
export function isFleetkitFinding(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && 'source' in value && 'ruleId' in value && 'severity' in value && 'message' in value;
}

/** True for a serialized Context. */
export function isFleetkitContext(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && 'schemaVersion' in value && 'sessionId' in value && 'executions' in value && Array.isArray(value.findings);
}

/** True for a fleetkit JSON report (`generateReport(ctx, 'json')`): generator `fleetkit` and finding `groups`. */
export function isFleetkitReport(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && isRecord(value.generator) && value.generator.name === 'fleetkit' && Array.isArray(value.groups);
}

/** Reads fleetkit JSON of the given format. */
export function readFleetkit(value: unknown, format: ImportFormat): ReaderOutput {
  const out: ReaderOutput = { candidates: [], rejected: [] };
  if (format === 'fleetkit-finding') {
    out.candidates.push({ path: [], input: findingOf(value as Record<string, unknown>, false) });
    return out;
  }
  if (format === 'fleetkit-report') {
    const groups = (value as Record<string, unknown>).groups;
    (groups as unknown[]).forEach((g, gi) => {
      if (!isRecord(g) || !Array.isArray(g.findings)) {
        out.rejected.push({ path: ['groups', gi], code: 'invalid_shape', reason: `expected a group with a "findings" array, got ${describe(g)}` });
        return;
      }
      readList(g.findings, ['groups', gi, 'findings'], true, out);
    });
    return out;
  }
  const list = Array.isArray(value) ? value : (value as Record<string, unknown>).findings;
  const prefix = Array.isArray(value) ? [] : ['findings'];
  if (!Array.isArray(list)) {
    out.rejected.push({ path: prefix, code: 'invalid_shape', reason: `"findings" must be an array, got ${describe(list)}` });
    return out;
  }
  readList(list, prefix, false, out);
  return out;
}

function readList(list: readonly unknown[], prefix: readonly (string | number)[], inReport: boolean, out: ReaderOutput): void {
  list.forEach((f: unknown, i) => {
    if (!isRecord(f)) out.rejected.push({ path: [...prefix, i], code: 'invalid_shape', reason: `expected a finding object, got ${describe(f)}` });
    else out.candidates.push({ path: [...prefix, i], input: findingOf(f, inReport) });
  });
}

function findingOf(record: Record<string, unknown>, keepExtra: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const extra: JsonObject = {};
  for (const key of Object.keys(record)) {
    if (FINDING_KEYS.has(key)) input[key] = record[key];
    // A report's fingerprint is derived from the finding: recomputed, not kept.
    else if (key === 'fingerprint' && keepExtra) continue;
    else setOwn(extra, key, record[key] as JsonValue);
  }
  // Outside a report an unknown key is an error the validator names; in a report it is a derived field.
  if (!keepExtra) return record;
  if (Object.keys(extra).length > 0) input.metadata = { ...(isRecord(input.metadata) ? input.metadata : {}), extra };
  return input;
}
