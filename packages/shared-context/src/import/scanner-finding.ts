/**
 * One finding as the original fleet's scanners wrote it. Two record styles
 * occur: pattern findings (`type`, `pattern`, `file`, `line`, `code`, `cwe`,
 * `fix`) and rule findings (`type` as rule code, `reason`, `rule_module`,
 * `action`); the documented schema adds `id`, `message` and `location`.
 */
import type { PathSegment } from '../issue.js';
import type { JsonObject } from '../json-value.js';
import type { Candidate, ReaderContext } from './record.js';
import { bool, confidence, importMetadata, isRecord, normaliseFile, position, str, unknownSeverity } from './record.js';
import { mapSeverity, SEVERITY_SPELLINGS } from './severity-map.js';
import { resolveSource } from './source-bot.js';
import type { ImportFormat, RejectedItem } from './types.js';

/** Reads one scanner finding record; returns a candidate or a rejection. */
export function readScannerFinding(
  value: unknown,
  path: readonly PathSegment[],
  format: ImportFormat,
  ctx: ReaderContext,
  envelope: { tool?: unknown; data?: JsonObject; scope?: string },
): Candidate | RejectedItem {
  if (!isRecord(value)) return { path, code: 'invalid_shape', reason: `expected a finding object, got ${describe(value)}` };
  const severity = mapSeverity(value.severity);
  if (severity === undefined) return unknownSeverity(path, value.severity, SEVERITY_SPELLINGS);
  const type = str(value.type);
  const pattern = str(value.pattern);
  // In the documented scan report `type` is a category (security|waste|quality) and `id` names the problem.
  const documented = format === 'scan-report';
  const ruleId = documented ? (str(value.id) ?? type) : (pattern ?? type ?? str(value.id));
  if (ruleId === undefined) return { path, code: 'invalid_finding', reason: 'the record names no rule (none of "pattern", "type", "id")' };
  const location = isRecord(value.location) ? value.location : {};
  const message = str(value.message) ?? str(value.reason) ?? str(value.description) ?? (pattern !== undefined && type !== undefined ? `${type}: ${pattern}` : ruleId);
  const category = str(value.category) ?? (pattern !== undefined || documented ? type : str(value.rule_module)) ?? '';
  return {
    path,
    scope: envelope.scope,
    input: {
      source: resolveSource([value.scanner, value.source, envelope.tool], ctx.source),
      ruleId,
      ruleName: type !== undefined && pattern !== undefined ? `${type}/${pattern}` : (ruleId as string),
      severity,
      message,
      category,
      file: normaliseFile(str(value.file) ?? str(location.file), ctx.rootDir),
      line: position(value.line ?? location.line),
      column: position(value.column ?? location.column),
      suggestion: str(value.fix) ?? str(value.fix_suggestion) ?? str(value.remediation),
      fixable: bool(value.auto_fixable),
      confidence: confidence(value.confidence),
      metadata: importMetadata(format, value.severity, value as JsonObject, envelope.data),
    },
  };
}

/** A short description of a JSON value's kind, for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
