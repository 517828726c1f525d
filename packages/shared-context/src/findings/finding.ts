/** The Finding record: its schema, its defaults and its stable fingerprint. */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { BotId } from '../bots/roster.js';
import { ValidationError } from '../errors.js';
import type { Issue, PathSegment } from '../issue.js';
import { fromZodIssues } from '../issue.js';
import type { JsonObject } from '../json-value.js';
import { copyJson } from '../json-value.js';
import { PlainObjectSchema } from '../json-object-schema.js';
import { SEVERITIES } from './severity.js';
import type { Severity } from './severity.js';

/** A problem a bot found. Findings are data; reporters turn them into text. */
export interface Finding {
  /** Unique id within a session (a random UUID unless given). */
  readonly id: string;
  /** The bot that produced the finding. */
  readonly source: BotId;
  /** Stable rule id, e.g. `missing-license`. */
  readonly ruleId: string;
  /** Human name of the rule; defaults to `ruleId`. */
  readonly ruleName: string;
  /** How bad it is; only `error` blocks a release. */
  readonly severity: Severity;
  /** What is wrong. */
  readonly message: string;
  /** Category, e.g. `static-analysis/panic-path`; may be empty. */
  readonly category: string;
  /** File path, relative to the repository root. */
  readonly file?: string;
  /** 1-based line. */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
  /** The element involved (a function, a tag, a key …). */
  readonly element?: string;
  /** How to fix it. */
  readonly suggestion?: string;
  /** Whether a bot can fix it. */
  readonly fixable: boolean;
  /** Whether it has been fixed in this session. */
  readonly fixed: boolean;
  /** When it was created, ISO 8601. */
  readonly createdAt: string;
  /** Ids of related findings. */
  readonly related: readonly string[];
  /** Free-form JSON data (the original record of an imported finding, …). */
  readonly metadata: Readonly<JsonObject>;
  /** Id of a fix recipe. */
  readonly recipeId?: string;
  /** Confidence in the finding, 0..1. */
  readonly confidence?: number;
}

const nonEmpty = z.string().min(1, 'must not be empty');
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
  createdAt: z.iso.datetime({ offset: true }).optional(),
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
  /** Path prefix for error messages, e.g. `['findings', 3]`. */
  readonly path?: readonly PathSegment[];
  /** Name of the input (file or argument) for error messages. */
  readonly source?: string;
}

// Findings made here are already valid: the set does not validate them again.
const issued = new WeakSet<object>();

/** True when `value` is a finding returned by {@link createFinding}. */
export function isIssuedFinding(value: unknown): value is Finding {
  return typeof value === 'object' && value !== null && issued.has(value);
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
  const prefix = options.path ?? [];
  const parsed = FindingInputSchema.safeParse(input);
  if (!parsed.success) {
    issues.push(...fromZodIssues(parsed.error.issues, prefix));
    return undefined;
  }
  const d = parsed.data;
  let metadata: JsonObject = {};
  if (d.metadata !== undefined) {
    const before = issues.length;
    metadata = copyJson(d.metadata, [...prefix, 'metadata'], issues) as JsonObject;
    if (issues.length > before) return undefined;
  }
  // Every finding has the same fields in the same order (absent ones are
  // undefined, which JSON omits): one hidden class keeps the hot paths monomorphic.
  const f: Finding = {
    id: d.id ?? randomUUID(),
    source: d.source,
    ruleId: d.ruleId,
    ruleName: d.ruleName ?? d.ruleId,
    severity: d.severity,
    message: d.message,
    category: d.category ?? '',
    file: d.file,
    line: d.line,
    column: d.column,
    element: d.element,
    suggestion: d.suggestion,
    fixable: d.fixable ?? false,
    fixed: d.fixed ?? false,
    createdAt: d.createdAt ?? new Date((options.now ?? Date.now)()).toISOString(),
    related: d.related ?? [],
    metadata,
    recipeId: d.recipeId,
    confidence: d.confidence,
  };
  issued.add(f);
  return f;
}

/** `file:line:column`, `file:line` or `file`; undefined when the finding has no file. */
export function locationString(finding: Pick<Finding, 'file' | 'line' | 'column'>): string | undefined {
  if (finding.file === undefined) return undefined;
  if (finding.line === undefined) return finding.file;
  if (finding.column === undefined) return `${finding.file}:${finding.line}`;
  return `${finding.file}:${finding.line}:${finding.column}`;
}

/**
 * Message normalised for fingerprints: case-folded, digits collapsed to `#`
 * and white space folded, so a finding keeps its fingerprint when only a
 * count or a line number inside its message changes.
 */
export function normaliseMessage(message: string): string {
  return message.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/** Options of {@link findingFingerprint}. */
export interface FingerprintOptions {
  /** Include the line number (import de-duplication does; SARIF does not). @default false */
  readonly includeLine?: boolean;
}

/**
 * A stable fingerprint of a finding from its source, rule, file and normalised
 * message (and line when asked): the same problem found again in another run
 * has the same fingerprint, whatever its random id. 32 hex characters.
 */
export function findingFingerprint(
  finding: Pick<Finding, 'source' | 'ruleId' | 'file' | 'line' | 'message'>,
  options: FingerprintOptions = {},
): string {
  const parts = [finding.source, finding.ruleId, finding.file ?? '', options.includeLine ? String(finding.line ?? '') : '', normaliseMessage(finding.message)];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
