/**
 * What every reader shares: reading loosely-typed fields of a record, the
 * "everything else" part kept in metadata, and the candidate finding a
 * reader hands to `importFindings` for validation.
 */
import type { PathSegment } from '../issue.js';
import type { JsonObject, JsonValue } from '../json-value.js';
import { setOwn } from '../json-value.js';
import type { ImportFormat, RejectedItem } from './types.js';

/** A finding as a reader understood it, before validation. */
export interface Candidate {
  /** Where in the input the record is. */
  readonly path: readonly PathSegment[];
  /** Finding fields (validated later by `buildFinding`). */
  readonly input: Record<string, unknown>;
  /** Extra key for de-duplication (e.g. the repository of a dispatch record). */
  readonly scope?: string;
}

/** What a reader produces: candidates and the items it could not read. */
export interface ReaderOutput {
  readonly candidates: Candidate[];
  readonly rejected: RejectedItem[];
}

/** Context every reader receives. */
export interface ReaderContext {
  /** The caller's fallback source bot. */
  readonly source: string | undefined;
  /** Root directory for making absolute paths relative. */
  readonly rootDir: string | undefined;
}

/** A plain (non-array) object, narrowed. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** An integer ≥ 1 (a 1-based position), else undefined; `0` and strings like `"12"` are handled. */
export function position(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** A boolean, else undefined. */
export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A confidence in 0..1, else undefined. */
export function confidence(value: unknown): number | undefined {
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : undefined;
}

/** The fields of `record` not in `used`, copied as JSON (`__proto__` kept as data). */
export function rest(record: Record<string, unknown>, used: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(record)) if (!used.includes(key)) setOwn(out, key, record[key] as JsonValue);
  return out;
}

/**
 * The metadata of an imported finding: its format, the original severity
 * spelling, the whole original record (so nothing is lost, whatever was
 * mapped) and the shared fields of the file it came in (`envelope`).
 */
export function importMetadata(
  format: ImportFormat,
  originalSeverity: unknown,
  record: JsonObject,
  envelope?: JsonObject,
): JsonObject {
  const meta: JsonObject = { format, record };
  if (originalSeverity !== undefined) meta.originalSeverity = originalSeverity as JsonValue;
  if (envelope !== undefined && Object.keys(envelope).length > 0) meta.envelope = envelope;
  return meta;
}

/** A file path as fleetkit stores it: `file://` URIs decoded, made relative to `rootDir` when under it. */
export function normaliseFile(file: string | undefined, rootDir: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  let f = file;
  if (f.startsWith('file://')) {
    try {
      f = decodeURIComponent(new URL(f).pathname);
    } catch {
      return file;
    }
  }
  if (rootDir !== undefined) {
    const root = rootDir.replace(/[\\/]+$/, '');
    if (f.startsWith(`${root}/`) || f.startsWith(`${root}\\`)) f = f.slice(root.length + 1);
  }
  return f;
}

/** The rejection of a record whose severity is not a known spelling. */
export function unknownSeverity(path: readonly PathSegment[], raw: unknown, known: readonly string[], field = 'severity'): RejectedItem {
  return {
    path: [...path, field],
    code: 'unknown_severity',
    reason: `unknown severity ${JSON.stringify(raw) ?? String(raw)} (expected one of ${known.join(', ')}, any case)`,
  };
}
