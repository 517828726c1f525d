/**
 * reviewdog's Diagnostic Format: rdjson (`{source, diagnostics[]}`) and
 * rdjsonl (one Diagnostic per line). Severity `ERROR`/`WARNING`/`INFO`;
 * `UNKNOWN_SEVERITY` or none falls back to the result's severity, then `info`.
 */
import type { PathSegment } from '../issue.js';
import type { JsonObject } from '../json-value.js';
import type { Candidate, ReaderContext, ReaderOutput } from './record.js';
import { importMetadata, isRecord, normaliseFile, position, str, unknownSeverity } from './record.js';
import { describe } from './scanner-finding.js';
import { mapSeverity } from './severity-map.js';
import { resolveSource } from './source-bot.js';
import type { RejectedItem } from './types.js';

/** True for rdjson: an object with a `diagnostics` array. */
export function isRdjson(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && Array.isArray(value.diagnostics);
}

/** True for one rdjsonl Diagnostic: an object with a `message` and a `location` object. */
export function isRdjsonDiagnostic(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.message === 'string' && isRecord(value.location);
}

/** Reads rdjson. */
export function readRdjson(value: Record<string, unknown>, ctx: ReaderContext): ReaderOutput {
  const out: ReaderOutput = { candidates: [], rejected: [] };
  const source = isRecord(value.source) ? value.source : {};
  (value.diagnostics as unknown[]).forEach((d, i) => push(out, readDiagnostic(d, ['diagnostics', i], source.name, value.severity, 'rdjson', ctx)));
  return out;
}

/** Reads rdjsonl: `lines` are the parsed lines with their 1-based numbers. */
export function readRdjsonl(lines: readonly { line: number; value: unknown }[], ctx: ReaderContext): ReaderOutput {
  const out: ReaderOutput = { candidates: [], rejected: [] };
  for (const l of lines) push(out, readDiagnostic(l.value, [`line ${l.line}`], undefined, undefined, 'rdjsonl', ctx));
  return out;
}

function push(out: ReaderOutput, r: Candidate | RejectedItem): void {
  if ('input' in r) out.candidates.push(r);
  else out.rejected.push(r);
}

const RD_SEVERITIES = ['ERROR', 'WARNING', 'INFO', 'UNKNOWN_SEVERITY'];

function readDiagnostic(
  d: unknown,
  path: PathSegment[],
  toolName: unknown,
  defaultSeverity: unknown,
  format: 'rdjson' | 'rdjsonl',
  ctx: ReaderContext,
): Candidate | RejectedItem {
  if (!isRdjsonDiagnostic(d)) return { path, code: 'invalid_shape', reason: `expected a diagnostic with "message" and "location", got ${describe(d)}` };
  const raw = d.severity ?? defaultSeverity;
  const known = raw === undefined || raw === 'UNKNOWN_SEVERITY' ? 'info' : mapSeverity(raw);
  if (known === undefined) return unknownSeverity(path, raw, RD_SEVERITIES);
  const loc = d.location as Record<string, unknown>;
  const range = isRecord(loc.range) ? loc.range : {};
  const start = isRecord(range.start) ? range.start : {};
  const code = isRecord(d.code) ? d.code : {};
  const diagSource = isRecord(d.source) ? d.source : {};
  const suggestion = Array.isArray(d.suggestions) && isRecord(d.suggestions[0]) ? str(d.suggestions[0].text) : undefined;
  return {
    path,
    input: {
      source: resolveSource([diagSource.name, toolName, 'reviewdog'], ctx.source),
      ruleId: str(code.value) ?? str(diagSource.name) ?? str(toolName) ?? 'reviewdog',
      severity: known,
      message: d.message as string,
      file: normaliseFile(str(loc.path), ctx.rootDir),
      line: position(start.line),
      column: position(start.column),
      suggestion,
      fixable: suggestion !== undefined ? true : undefined,
      metadata: importMetadata(format, raw, d as JsonObject),
    },
  };
}
