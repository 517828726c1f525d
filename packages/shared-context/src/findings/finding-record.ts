/**
 * The runtime form of a finding made by `createFinding` (two record classes)
 * and its stable fingerprint, which records cache.
 */
import { createHash } from 'node:crypto';
import type { BotId } from '../bots/roster.js';
import type { JsonObject } from '../json-value.js';
import type { Finding } from './finding-type.js';
import type { Severity } from './severity.js';

/**
 * The runtime form of a Finding. Findings made by `createFinding` are
 * instances of one of the two subclasses below, which is how the set knows
 * they were already validated: a copy (`{ ...f, severity: 'x' }`) is a plain
 * object and is validated again.
 */
abstract class IssuedFinding {
  /**
   * The finding's {@link findingFingerprint}, as an accessor of the class (not
   * an own field: JSON, spreads and `Object.keys` do not see it), so the JSON
   * report serialises a record with its fingerprint without copying it.
   */
  get fingerprint(): string {
    return findingFingerprint(this as unknown as Finding);
  }
}

// The two brands, as non-enumerable properties of the prototypes (JSON,
// spreads and `Object.keys` do not see them). Reading one is as cheap as
// reading a field, in every tier; `instanceof` walks the prototype chain
// through `Symbol.hasInstance`, which the interpreter does at ~600
// instructions a test. The symbols are this module's own: a plain object
// cannot carry them by accident.
const ISSUED = Symbol('fleetkit.issuedFinding');
/**
 * `true` on a record made without any optional field (on its prototype), so
 * hot loops can skip reading the fields it does not have: `f[CORE_RECORD]`.
 */
export const CORE_RECORD: unique symbol = Symbol('fleetkit.coreFindingRecord');
Object.defineProperty(IssuedFinding.prototype, ISSUED, { value: true });

/**
 * A finding with at least one of the optional fields (`file`, `line`,
 * `column`, `element`, `suggestion`, `recipeId`, `confidence`): it has every
 * field, in one order, so that these findings share one hidden class.
 */
class FindingRecord extends IssuedFinding implements Finding {
  constructor(
    readonly id: string,
    readonly source: BotId,
    readonly ruleId: string,
    readonly ruleName: string,
    readonly severity: Severity,
    readonly message: string,
    readonly category: string,
    readonly file: string | undefined,
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly element: string | undefined,
    readonly suggestion: string | undefined,
    readonly fixable: boolean,
    readonly fixed: boolean,
    readonly createdAt: string,
    readonly related: readonly string[],
    readonly metadata: Readonly<JsonObject>,
    readonly recipeId: string | undefined,
    readonly confidence: number | undefined,
  ) {
    super();
  }
}

/**
 * A finding without any optional field, as most bots make them: the same
 * fields minus those seven, which are absent (read as undefined) rather than
 * present and undefined. 120 bytes instead of 176: adding 100,000 findings
 * one at a time takes about a fifth less time, most of it the garbage
 * collector's copying. The hot paths see two hidden classes.
 */
class CoreFindingRecord extends IssuedFinding implements Finding {
  constructor(
    readonly id: string,
    readonly source: BotId,
    readonly ruleId: string,
    readonly ruleName: string,
    readonly severity: Severity,
    readonly message: string,
    readonly category: string,
    readonly fixable: boolean,
    readonly fixed: boolean,
    readonly createdAt: string,
    readonly related: readonly string[],
    readonly metadata: Readonly<JsonObject>,
  ) {
    super();
  }
}
Object.defineProperty(CoreFindingRecord.prototype, CORE_RECORD, { value: true });

/**
 * The record of a validated, completed finding: the smaller class when no
 * optional field is set.
 */
export function newRecord(
  id: string,
  source: BotId,
  ruleId: string,
  ruleName: string,
  severity: Severity,
  message: string,
  category: string,
  file: string | undefined,
  line: number | undefined,
  column: number | undefined,
  element: string | undefined,
  suggestion: string | undefined,
  fixable: boolean,
  fixed: boolean,
  createdAt: string,
  related: readonly string[],
  metadata: Readonly<JsonObject>,
  recipeId: string | undefined,
  confidence: number | undefined,
): Finding {
  if (file === undefined && line === undefined && column === undefined && element === undefined && suggestion === undefined && recipeId === undefined && confidence === undefined) {
    return new CoreFindingRecord(id, source, ruleId, ruleName, severity, message, category, fixable, fixed, createdAt, related, metadata);
  }
  return new FindingRecord(id, source, ruleId, ruleName, severity, message, category, file, line, column, element, suggestion, fixable, fixed, createdAt, related, metadata, recipeId, confidence);
}

/** True for a record made without any optional field: it has none of them (they read as undefined). */
export function isCoreRecord(value: Finding): boolean {
  return (value as Finding & { readonly [CORE_RECORD]?: true })[CORE_RECORD] === true;
}

/** True when `value` is a finding returned by `createFinding` (already validated). */
export function isIssuedFinding(value: unknown): value is Finding {
  return typeof value === 'object' && value !== null && (value as { [ISSUED]?: true })[ISSUED] === true;
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
  // Findings made here never change the fields hashed, so their fingerprints are cached (reports of
  // 100,000 findings hash each one once, not once per format).
  const cacheable = isIssuedFinding(finding);
  const cache = options.includeLine ? fingerprintsWithLine : fingerprints;
  if (cacheable) {
    const hit = cache.get(finding);
    if (hit !== undefined) return hit;
  }
  const parts = [finding.source, finding.ruleId, finding.file ?? '', options.includeLine ? String(finding.line ?? '') : '', normaliseMessage(finding.message)];
  const fp = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
  if (cacheable) cache.set(finding, fp);
  return fp;
}

const fingerprints = new WeakMap<object, string>();
const fingerprintsWithLine = new WeakMap<object, string>();
