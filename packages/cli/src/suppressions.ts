/**
 * `fleet.suppressions.json`: findings a team has decided to accept. An entry
 * matches by fingerprint, or by rule (and optionally bot and path glob); each
 * says why, and may expire. Suppressed findings stay in reports, marked, but
 * do not count for the gate; an expired entry stops applying and is listed.
 *
 * One entry covers every finding it matches, including every occurrence of a
 * fingerprint (the fingerprint leaves out the line, so the same rule and
 * message can occur several times in one file). An entry that accepts a
 * number of occurrences, not the pattern, says so with `occurrences: N`: it
 * then covers the N lowest-lined occurrences, and the ones beyond are not
 * suppressed and are listed as over the limit.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from '@fleetkit/shared-context';
import { findingFingerprint, formatPath } from '@fleetkit/shared-context';
import { z } from 'zod';
import { CliError } from './errors.js';
import { globMatcher } from './glob-match.js';

/** The default file name, looked up in the working directory. */
export const SUPPRESSIONS_FILE = 'fleet.suppressions.json';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const EntrySchema = z
  .strictObject({
    fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character fingerprint as printed by `fleet gate`').optional(),
    rule: z.string().min(1).optional(),
    source: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    justification: z.string().trim().min(1, 'every suppression needs a justification'),
    expires: z.union([z.string().regex(DATE, 'must be a date YYYY-MM-DD or an ISO date-time'), z.iso.datetime({ offset: true })]).optional(),
    occurrences: z.number().int('must be a whole number').min(1, 'must be 1 or more').optional(),
  })
  .refine((e) => e.fingerprint !== undefined || e.rule !== undefined, { message: 'needs a "fingerprint", or a "rule" (with an optional "path" glob)' });

/** zod schema of a suppressions file. */
export const SuppressionsFileSchema = z.strictObject({
  $schema: z.string().optional(),
  suppressions: z.array(EntrySchema),
});

/** One suppression entry. */
export type Suppression = z.output<typeof EntrySchema>;

/** What applying the suppressions found. */
export interface SuppressionResult {
  /** Finding id → the entry that suppresses it. */
  readonly suppressed: ReadonlyMap<string, Suppression>;
  /** Entries whose expiry date has passed; they no longer apply. */
  readonly expired: readonly Suppression[];
  /** Entries with `occurrences` that matched more findings than they cover; the extra findings are not suppressed. */
  readonly overLimit: readonly SuppressionOverLimit[];
}

/** An entry with `occurrences: N` that matched more than N findings. */
export interface SuppressionOverLimit {
  readonly entry: Suppression;
  /** How many findings it matched. */
  readonly matched: number;
  /** Ids of the matched findings beyond its limit (highest lines), which count as usual. */
  readonly uncovered: readonly string[];
}

/**
 * Loads the suppressions: `file` when given (it must exist), else the default
 * file in `cwd` when there is one, else none. Invalid content is a
 * {@link CliError} naming each problem with its path.
 */
export async function loadSuppressions(file: string | undefined, cwd: string): Promise<Suppression[]> {
  const target = path.resolve(cwd, file ?? SUPPRESSIONS_FILE);
  if (file === undefined) {
    const exists = await access(target).then(() => true, () => false);
    if (!exists) return [];
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(target, 'utf8'));
  } catch (err) {
    throw new CliError('FK_CLI_INPUT', `cannot read suppressions ${target}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const parsed = SuppressionsFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${formatPath(i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)))}: ${i.message}`);
    throw new CliError('FK_CLI_INPUT', `invalid suppressions ${target}: ${issues.join('; ')}`);
  }
  return parsed.data.suppressions;
}

/** When an entry stops applying, epoch ms: a date-only expiry lasts to the end of that day (UTC). */
export function expiresAt(entry: Suppression): number | undefined {
  if (entry.expires === undefined) return undefined;
  return DATE.test(entry.expires) ? Date.parse(`${entry.expires}T00:00:00Z`) + 86_400_000 : Date.parse(entry.expires);
}

/** How an entry is named in messages: its fingerprint, or its rule with the bot and path it is limited to. */
export function describeSuppression(e: Suppression): string {
  return e.fingerprint ?? `${e.rule ?? '?'}${e.source === undefined ? '' : ` of ${e.source}`}${e.path === undefined ? '' : ` in ${e.path}`}`;
}

/** Applies `entries` to `findings` at time `now` (epoch ms). Pure. */
export function applySuppressions(findings: Iterable<Finding>, entries: readonly Suppression[], now: number): SuppressionResult {
  const expired = entries.filter((e) => {
    const at = expiresAt(e);
    return at !== undefined && now >= at;
  });
  const active = entries.filter((e) => !expired.includes(e)).map((e) => ({ entry: e, path: e.path === undefined ? undefined : globMatcher(e.path) }));
  const suppressed = new Map<string, Suppression>();
  if (active.length === 0) return { suppressed, expired, overLimit: [] };
  const limited = new Map<Suppression, Finding[]>();
  for (const f of findings) {
    const fp = findingFingerprint(f);
    const hit = active.find(({ entry, path: match }) => {
      if (entry.fingerprint !== undefined) return entry.fingerprint === fp;
      if (entry.rule !== f.ruleId) return false;
      if (entry.source !== undefined && entry.source !== f.source) return false;
      return match === undefined || (f.file !== undefined && match(f.file));
    });
    if (hit === undefined) continue;
    if (hit.entry.occurrences === undefined) suppressed.set(f.id, hit.entry);
    else {
      const list = limited.get(hit.entry);
      if (list === undefined) limited.set(hit.entry, [f]);
      else list.push(f);
    }
  }
  const overLimit: SuppressionOverLimit[] = [];
  for (const [entry, matched] of limited) {
    const limit = entry.occurrences as number;
    // Lowest lines first (no line last; ties keep session order), so the covered ones do not depend on insertion order.
    const ordered = matched.length > limit ? [...matched].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || 0) : matched;
    for (const f of ordered.slice(0, limit)) suppressed.set(f.id, entry);
    if (ordered.length > limit) overLimit.push({ entry, matched: ordered.length, uncovered: ordered.slice(limit).map((f) => f.id) });
  }
  return { suppressed, expired, overLimit };
}
