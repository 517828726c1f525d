/**
 * Findings as rows of `fleetkit_findings`, and back, exactly: what is read
 * equals what was appended. PostgreSQL text cannot hold NUL or a lone
 * surrogate, and jsonb reorders object keys; a finding that has any of these
 * keeps its exact JSON in the `exact` column (its other columns hold a close
 * copy, for filtering). Everything else round-trips through the columns.
 */
import type { Finding, FindingInput, JsonValue } from '@fleetkit/shared-context';

/** Column-wise arrays of a batch, for one `INSERT … SELECT FROM unnest(…)` (one statement, however large the batch). */
interface FindingColumns {
  readonly id: string[];
  readonly source: string[];
  readonly ruleId: string[];
  readonly ruleName: string[];
  readonly severity: string[];
  readonly message: string[];
  readonly category: string[];
  readonly file: (string | null)[];
  readonly line: (string | null)[];
  readonly col: (string | null)[];
  readonly element: (string | null)[];
  readonly suggestion: (string | null)[];
  readonly fixable: string[];
  readonly fixed: string[];
  readonly createdAt: string[];
  readonly related: string[];
  readonly metadata: string[];
  readonly recipeId: (string | null)[];
  readonly confidence: (string | null)[];
  readonly exact: (string | null)[];
}

/** A row of `fleetkit_findings` as read. */
export interface FindingRow {
  readonly seq: number;
  readonly id: string;
  readonly source: string;
  readonly rule_id: string;
  readonly rule_name: string;
  readonly severity: string;
  readonly message: string;
  readonly category: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly element: string | null;
  readonly suggestion: string | null;
  readonly fixable: boolean;
  readonly fixed: boolean;
  readonly created_at: string;
  readonly related: readonly string[];
  readonly metadata: Record<string, JsonValue>;
  readonly recipe_id: string | null;
  readonly confidence: number | null;
  readonly exact: string | null;
}

/** The columns read back, in the order of {@link FindingRow}. */
export const FINDING_COLUMNS =
  'seq, id, source, rule_id, rule_name, severity, message, category, file, line, col, element, suggestion, fixable, fixed, created_at, related, metadata, recipe_id, confidence, exact';

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;

/** True when PostgreSQL text holds `s` unchanged. */
const storable = (s: string): boolean => !s.includes('\u0000') && s.isWellFormed();

/** The closest text PostgreSQL can hold (NUL and lone surrogates become U+FFFD). */
export const closeText = (s: string): string => (storable(s) ? s : s.replace(NUL, '\uFFFD').toWellFormed());
const close = closeText;

/** jsonb orders object keys by UTF-8 length, then bytes. */
function jsonbKeyOrder(a: string, b: string): number {
  const la = Buffer.byteLength(a);
  const lb = Buffer.byteLength(b);
  return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** True when jsonb gives `v` back unchanged: keys in jsonb's order, no NUL or lone surrogate anywhere. */
function jsonbExact(v: unknown): boolean {
  if (typeof v === 'string') return storable(v);
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every(jsonbExact);
  let prev: string | undefined;
  for (const k of Object.keys(v)) {
    if (!storable(k) || (prev !== undefined && jsonbKeyOrder(prev, k) >= 0)) return false;
    if (!jsonbExact((v as Record<string, unknown>)[k])) return false;
    prev = k;
  }
  return true;
}

/** Empty column arrays. */
function newFindingColumns(): FindingColumns {
  return {
    id: [], source: [], ruleId: [], ruleName: [], severity: [], message: [], category: [], file: [], line: [], col: [], element: [],
    suggestion: [], fixable: [], fixed: [], createdAt: [], related: [], metadata: [], recipeId: [], confidence: [], exact: [],
  };
}

const optText = (s: string | undefined): string | null => (s === undefined ? null : close(s));
const optNumber = (n: number | undefined): string | null => (n === undefined ? null : String(n));

/** Appends `f` to the column arrays. */
function pushFinding(c: FindingColumns, f: Finding): void {
  const texts = [f.id, f.source, f.ruleId, f.ruleName, f.message, f.category, f.createdAt];
  if (f.file !== undefined) texts.push(f.file);
  if (f.element !== undefined) texts.push(f.element);
  if (f.suggestion !== undefined) texts.push(f.suggestion);
  if (f.recipeId !== undefined) texts.push(f.recipeId);
  const exact = texts.every(storable) && f.related.every(storable) && jsonbExact(f.metadata);
  c.id.push(close(f.id));
  c.source.push(close(f.source));
  c.ruleId.push(close(f.ruleId));
  c.ruleName.push(close(f.ruleName));
  c.severity.push(f.severity);
  c.message.push(close(f.message));
  c.category.push(close(f.category));
  c.file.push(optText(f.file));
  c.line.push(optNumber(f.line));
  c.col.push(optNumber(f.column));
  c.element.push(optText(f.element));
  c.suggestion.push(optText(f.suggestion));
  c.fixable.push(f.fixable ? 't' : 'f');
  c.fixed.push(f.fixed ? 't' : 'f');
  c.createdAt.push(close(f.createdAt));
  // JSON.stringify escapes what text cannot hold (NUL as \u0000, lone surrogates as \udXXX); jsonb then refuses only \u0000.
  c.related.push(exact ? JSON.stringify(f.related) : JSON.stringify(f.related.map(close)));
  c.metadata.push(exact ? JSON.stringify(f.metadata) : JSON.stringify(closeJson(f.metadata)));
  c.recipeId.push(optText(f.recipeId));
  c.confidence.push(optNumber(f.confidence));
  c.exact.push(exact ? null : JSON.stringify(f));
}

/** The column order of {@link FindingColumns}, as `fleetkit_append` takes them. */
export const COLUMN_ORDER = [
  'id', 'source', 'ruleId', 'ruleName', 'severity', 'message', 'category', 'file', 'line', 'col', 'element',
  'suggestion', 'fixable', 'fixed', 'createdAt', 'related', 'metadata', 'recipeId', 'confidence', 'exact',
] as const satisfies readonly (keyof FindingColumns)[];

/**
 * A batch's columns as the bodies of PostgreSQL array literals (the text
 * between the braces), in {@link COLUMN_ORDER}. Made when the batch arrives,
 * so the work is done while an earlier append runs; a group's arrays are
 * then the bodies joined with commas.
 */
export function columnBodies(findings: readonly Finding[]): string[] {
  const c = newFindingColumns();
  for (const f of findings) pushFinding(c, f);
  return COLUMN_ORDER.map((k) => arrayBody(c[k]));
}

/**
 * One PostgreSQL array literal per column, in {@link COLUMN_ORDER}, for the
 * batches whose {@link columnBodies} are given, in that order (a batch with no
 * findings adds nothing).
 */
export function arrayLiterals(batches: readonly (readonly string[])[], counts: readonly number[]): string[] {
  return COLUMN_ORDER.map((_, k) => `{${batches.flatMap((b, i) => (counts[i] === 0 ? [] : [b[k]!])).join(',')}}`);
}

/**
 * Elements quoted, `"` and `\\` escaped, null as NULL: what array_in reads
 * back exactly. Joined, not appended with `+=`: appending makes a rope of
 * three string nodes per element, which a batch waiting for its turn keeps
 * alive through young-generation collections (each copying all of it);
 * `join` makes one flat string, and the parts die young.
 */
function arrayBody(values: readonly (string | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    parts[i] = v === null ? 'NULL' : `"${v.replace(QUOTED, '\\$&')}"`;
  }
  return parts.join(',');
}

const QUOTED = /[\\"]/g;

function closeJson(v: unknown): unknown {
  if (typeof v === 'string') return close(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(closeJson);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[close(k)] = closeJson(x);
  return out;
}

/** The finding a row stores, as input for the library (which validates it again). */
export function rowToInput(r: FindingRow): FindingInput {
  // `fixed` is the column's: marking fixed updates the column, not the exact copy.
  if (r.exact !== null) return { ...(JSON.parse(r.exact) as FindingInput), fixed: r.fixed };
  const o: Record<string, unknown> = { id: r.id, source: r.source, ruleId: r.rule_id, ruleName: r.rule_name, severity: r.severity, message: r.message, category: r.category };
  if (r.file !== null) o.file = r.file;
  if (r.line !== null) o.line = r.line;
  if (r.col !== null) o.column = r.col;
  if (r.element !== null) o.element = r.element;
  if (r.suggestion !== null) o.suggestion = r.suggestion;
  o.fixable = r.fixable;
  o.fixed = r.fixed;
  o.createdAt = r.created_at;
  if (r.related.length > 0) o.related = r.related;
  o.metadata = r.metadata;
  if (r.recipe_id !== null) o.recipeId = r.recipe_id;
  if (r.confidence !== null) o.confidence = r.confidence;
  return o as FindingInput;
}
