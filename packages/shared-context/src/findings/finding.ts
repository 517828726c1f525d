/** Making a Finding: its input schema, its defaults, its checks and its stored form. */
import { randomId } from './random-id.js';
import { isoTime } from '../iso-time.js';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Issue, PathSegment } from '../issue.js';
import { fromZodIssues } from '../issue.js';
import type { JsonObject } from '../json-value.js';
import { copyJson } from '../json-value.js';
import { PlainObjectSchema } from '../json-object-schema.js';
import type { Finding } from './finding-type.js';
import { isCoreRecord, isIssuedFinding, newRecord } from './finding-record.js';
import { isSeverity, SEVERITIES } from './severity.js';

export { findingFingerprint, isIssuedFinding, normaliseMessage } from './finding-record.js';
export type { FingerprintOptions } from './finding-record.js';

export type { Finding } from './finding-type.js';

const nonEmpty = z.string().min(1, 'must not be empty');
const isoDateTime = z.iso.datetime({ offset: true });
// The very pattern zod checks `createdAt` with, so the fast path below cannot disagree with it.
const ISO_PATTERN: RegExp | undefined = (isoDateTime as unknown as { _zod: { pattern?: RegExp } })._zod.pattern;
const position = z.number().int('must be an integer').min(1, 'must be 1 or more (positions are 1-based)');

/** zod schema of a finding as given by a caller or read from a file. */
export const FindingInputSchema = z.strictObject({
  id: nonEmpty.optional(),
  source: nonEmpty,
  ruleId: nonEmpty,
  ruleName: z.string().optional(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  category: z.string().optional(),
  file: z.string().optional(),
  line: position.optional(),
  column: position.optional(),
  element: z.string().optional(),
  suggestion: z.string().optional(),
  fixable: z.boolean().optional(),
  fixed: z.boolean().optional(),
  createdAt: isoDateTime.optional(),
  related: z.array(z.string()).optional(),
  // Checked and copied by copyJson below (JSON only, `__proto__` kept as data).
  metadata: PlainObjectSchema.optional(),
  recipeId: z.string().optional(),
  confidence: z.number().min(0).max(1).optional(),
});

/** What a caller gives to create a finding; everything else has a default. */
export type FindingInput = z.input<typeof FindingInputSchema>;

/** Options of {@link createFinding}. */
export interface CreateFindingOptions {
  /** Clock for `createdAt`, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /**
   * Id for an input without one. Ids it returns are trusted to be new (no
   * duplicate check), as random UUIDs are: a counter (`f-1`, `f-2`, …) suits
   * reproducible runs. @default a random version 4 UUID
   */
  readonly newId?: () => string;
  /** Path prefix for error messages, e.g. `['findings', 3]`. */
  readonly path?: readonly PathSegment[];
  /** Name of the input (file or argument) for error messages. */
  readonly source?: string;
}


/**
 * Validates a finding input and fills the defaults (`id` a random UUID,
 * `ruleName` = `ruleId`, `category` '', `fixable`/`fixed` false, `createdAt`
 * now, `related` []). Throws a {@link ValidationError} naming each problem.
 */
export function createFinding(input: FindingInput | Finding, options: CreateFindingOptions = {}): Finding {
  if (isIssuedFinding(input)) return input;
  const issues: Issue[] = [];
  const finding = buildFinding(input, options, issues);
  if (finding === undefined) throw new ValidationError(issues, options.source);
  return finding;
}

/**
 * Like {@link createFinding} but collects problems into `issues` and returns
 * undefined instead of throwing; for batches that report every bad element.
 */
export function buildFinding(input: unknown, options: CreateFindingOptions, issues: Issue[]): Finding | undefined {
  // Most inputs are well-formed: check them with plain code first and only
  // run zod (which also explains every problem) when that check fails.
  const fast = tryBuildFinding(input, options.now ?? Date.now, options.newId ?? randomId);
  if (fast !== undefined) return fast;
  const prefix = options.path ?? [];
  const parsed = FindingInputSchema.safeParse(input);
  if (!parsed.success) {
    issues.push(...fromZodIssues(parsed.error.issues, prefix));
    return undefined;
  }
  const d = parsed.data;
  let metadata: JsonObject = NO_METADATA;
  if (d.metadata !== undefined) {
    const before = issues.length;
    metadata = copyJson(d.metadata, [...prefix, 'metadata'], issues) as JsonObject;
    if (issues.length > before) return undefined;
  }
  return newRecord(
    d.id ?? (options.newId ?? randomId)(),
    d.source,
    d.ruleId,
    d.ruleName ?? d.ruleId,
    d.severity,
    d.message,
    d.category ?? '',
    d.file,
    d.line,
    d.column,
    d.element,
    d.suggestion,
    d.fixable ?? false,
    d.fixed ?? false,
    d.createdAt ?? isoTime((options.now ?? Date.now)()),
    d.related ?? NO_RELATED,
    metadata,
    d.recipeId,
    d.confidence,
  );
}

// Shared, frozen defaults: most findings have no related ids and no metadata,
// and 100,000 empty arrays and objects would cost ~5 MB.
const NO_RELATED: readonly string[] = Object.freeze([]);
const NO_METADATA: JsonObject = Object.freeze({}) as JsonObject;

// The last timestamp that passed: findings of one batch (and of a session read
// back) share their millisecond, and zod's date-time pattern costs ~150 ns.
let lastIso = '';

/** True for an ISO 8601 date-time `createFinding` accepts (zod's own pattern), remembering the last one that passed. */
export function isIsoDateTime(text: string): boolean {
  if (text === lastIso) return true;
  if (ISO_PATTERN === undefined || !ISO_PATTERN.test(text)) return false;
  lastIso = text;
  return true;
}

const optString = (v: unknown): boolean => v === undefined || typeof v === 'string';
/** True for a missing position or a 1-based one, as `createFinding` accepts them (zod's `.int()` takes safe integers only). */
export const optPosition = (v: unknown): boolean => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 1);
const optBoolean = (v: unknown): boolean => v === undefined || typeof v === 'boolean';
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * The fast path of {@link buildFinding}: accepts exactly what
 * `FindingInputSchema` accepts (a property test holds the two together) or
 * returns undefined, and never reports; zod then explains the problem.
 * Internal (not exported by the package): the set calls it directly to add
 * a valid input without allocating the explaining path's options and issues.
 */
export function tryBuildFinding(input: unknown, now: () => number, newId: () => string): Finding | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const proto: unknown = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return undefined;
  for (const key in input) if (!isFindingKey(key)) return undefined;
  const d = input as Record<string, unknown>;
  const { id, source, ruleId, severity, message, createdAt, related, metadata, confidence } = d;
  if (!(id === undefined || nonEmptyString(id))) return undefined;
  if (!nonEmptyString(source) || !nonEmptyString(ruleId) || typeof message !== 'string') return undefined;
  if (typeof severity !== 'string' || !isSeverity(severity)) return undefined;
  if (!optString(d.ruleName) || !optString(d.category) || !optString(d.file) || !optString(d.element) || !optString(d.suggestion) || !optString(d.recipeId)) return undefined;
  if (!optPosition(d.line) || !optPosition(d.column) || !optBoolean(d.fixable) || !optBoolean(d.fixed)) return undefined;
  if (!(createdAt === undefined || (typeof createdAt === 'string' && isIsoDateTime(createdAt)))) return undefined;
  if (!(confidence === undefined || (typeof confidence === 'number' && confidence >= 0 && confidence <= 1))) return undefined;
  if (related !== undefined) {
    if (!Array.isArray(related)) return undefined;
    for (const r of related) if (typeof r !== 'string') return undefined;
  }
  let meta: JsonObject = NO_METADATA;
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
    const problems: Issue[] = [];
    meta = copyJson(metadata, [], problems) as JsonObject;
    if (problems.length > 0) return undefined;
  }
  return newRecord(
    (id as string | undefined) ?? newId(),
    source,
    ruleId,
    (d.ruleName as string | undefined) ?? ruleId,
    severity,
    message,
    (d.category as string | undefined) ?? '',
    d.file as string | undefined,
    d.line as number | undefined,
    d.column as number | undefined,
    d.element as string | undefined,
    d.suggestion as string | undefined,
    (d.fixable as boolean | undefined) ?? false,
    (d.fixed as boolean | undefined) ?? false,
    (createdAt as string | undefined) ?? isoTime(now()),
    related === undefined ? NO_RELATED : [...(related as string[])],
    meta,
    d.recipeId as string | undefined,
    confidence as number | undefined,
  );
}

// A switch over literals compares interned strings by identity: cheaper than a Set lookup per key.
function isFindingKey(key: string): boolean {
  switch (key) {
    case 'id': case 'source': case 'ruleId': case 'ruleName': case 'severity': case 'message': case 'category':
    case 'file': case 'line': case 'column': case 'element': case 'suggestion': case 'fixable': case 'fixed':
    case 'createdAt': case 'related': case 'metadata': case 'recipeId': case 'confidence':
      return true;
    default:
      return false;
  }
}

/**
 * A finding as a session stores it: the fields {@link createFinding} would
 * fill in with their defaults (`ruleName` = `ruleId`, empty `category`,
 * `fixable`/`fixed` false, no `related`, empty `metadata`) are left out, in
 * the finding's field order otherwise. Reading it back gives an equal finding.
 * About half the bytes of a whole record, so sessions write and parse in
 * about half the time.
 */
export function storedFinding(f: Finding): FindingInput {
  const o: { -readonly [K in keyof Finding]?: Finding[K] } = { id: f.id, source: f.source, ruleId: f.ruleId };
  if (f.ruleName !== f.ruleId) o.ruleName = f.ruleName;
  o.severity = f.severity;
  o.message = f.message;
  if (f.category !== '') o.category = f.category;
  // A record without optional fields does not have them: skip the reads of
  // absent properties, which cost more than reads of present ones.
  const core = isCoreRecord(f);
  if (!core) {
    if (f.file !== undefined) o.file = f.file;
    if (f.line !== undefined) o.line = f.line;
    if (f.column !== undefined) o.column = f.column;
    if (f.element !== undefined) o.element = f.element;
    if (f.suggestion !== undefined) o.suggestion = f.suggestion;
  }
  if (f.fixable) o.fixable = true;
  if (f.fixed) o.fixed = true;
  o.createdAt = f.createdAt;
  if (f.related.length > 0) o.related = f.related;
  if (hasKeys(f.metadata)) o.metadata = f.metadata;
  if (!core) {
    if (f.recipeId !== undefined) o.recipeId = f.recipeId;
    if (f.confidence !== undefined) o.confidence = f.confidence;
  }
  return o as FindingInput;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** `file:line:column`, `file:line` or `file`; undefined when the finding has no file. */
export function locationString(finding: Pick<Finding, 'file' | 'line' | 'column'>): string | undefined {
  if (finding.file === undefined) return undefined;
  if (finding.line === undefined) return finding.file;
  if (finding.column === undefined) return `${finding.file}:${finding.line}`;
  return `${finding.file}:${finding.line}:${finding.column}`;
}
