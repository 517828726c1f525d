/**
 * Filters of a findings query, as one meaning for every storage: the file
 * storage applies them in memory (here), PostgreSQL in SQL. Both follow the
 * definitions below; a test holds them to the same answers.
 */
import { z } from 'zod';
import type { BotInfo } from '../bots/roster.js';
import { ROSTER_BOTS } from '../bots/roster.js';
import type { Tier } from '../bots/tier.js';
import { TIERS } from '../bots/tier.js';
import type { Context } from '../context/context.js';
import type { Finding } from '../findings/finding.js';
import { createFinding, storedFinding } from '../findings/finding.js';
import { SEVERITIES } from '../findings/severity.js';
import { parseWith } from '../validate.js';
import type { FindingFilters, FindingPageRequest, StoredFindingPage, TallyRange } from './session-storage.js';


const FiltersSchema = z.strictObject({
  bot: z.string().optional(),
  severity: z.enum(SEVERITIES).optional(),
  category: z.string().optional(),
  tier: z.enum(TIERS).optional(),
  file: z.string().optional(),
  q: z.string().optional(),
  fixed: z.boolean().optional(),
});

/** Most findings one page may ask for. */
export const MAX_PAGE_LIMIT = 10_000;

const PageSchema = z.strictObject({
  afterSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_LIMIT),
});

/** Checks a query's filters and page (they come from outside); throws a {@link ValidationError} naming each bad field. */
export function checkFindingQuery(filters: unknown, page: unknown, source = 'queryFindings'): { filters: FindingFilters; page: FindingPageRequest } {
  return {
    filters: parseWith(FiltersSchema, filters, { source, path: ['filters'] }) as FindingFilters,
    page: parseWith(PageSchema, page, { source, path: ['page'] }) as FindingPageRequest,
  };
}

const RangeSchema = z.strictObject({
  afterSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  throughSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** Checks a tally's filters and range (they come from outside); throws a {@link ValidationError} naming each bad field. */
export function checkTallyQuery(filters: unknown, range: unknown, source = 'tallyFindings'): { filters: FindingFilters; range: TallyRange } {
  return {
    filters: parseWith(FiltersSchema, filters, { source, path: ['filters'] }) as FindingFilters,
    range: parseWith(RangeSchema, range ?? {}, { source, path: ['range'] }) as TallyRange,
  };
}

/** A predicate for `filters`; `tierOf` gives a bot's tier in the session. */
export function findingMatcher(filters: FindingFilters, tierOf: (bot: string) => Tier): (f: Finding) => boolean {
  const { bot, severity, category, tier, file, fixed } = filters;
  const needle = filters.q === undefined || filters.q === '' ? undefined : filters.q.toLowerCase();
  return (x) =>
    (bot === undefined || x.source === bot) &&
    (severity === undefined || x.severity === severity) &&
    (category === undefined || x.category === category) &&
    (fixed === undefined || x.fixed === fixed) &&
    (file === undefined || (x.file !== undefined && x.file.startsWith(file))) &&
    (tier === undefined || tierOf(x.source) === tier) &&
    (needle === undefined ||
      x.message.toLowerCase().includes(needle) ||
      x.ruleId.toLowerCase().includes(needle) ||
      (x.file?.toLowerCase().includes(needle) ?? false) ||
      (x.element?.toLowerCase().includes(needle) ?? false));
}

/**
 * Which bot ids have `tier` in a session whose registered bots are `bots`,
 * as a finite list: either the ids that have it (`in`), or, for `custom`
 * (every unknown id), the ids that do not (`notIn`). Lets a database filter
 * by tier on the `source` column.
 */
export function botsOfTier(bots: Iterable<BotInfo>, tier: Tier): { readonly in: string[] } | { readonly notIn: string[] } {
  const tiers = new Map<string, Tier>();
  for (const b of ROSTER_BOTS) tiers.set(b.id, b.tier);
  for (const b of bots) tiers.set(b.id, b.tier);
  const has: string[] = [];
  const hasNot: string[] = [];
  for (const [id, t] of tiers) (t === tier ? has : hasNot).push(id);
  return tier === 'custom' ? { notIn: hasNot } : { in: has };
}

/**
 * A page of `ctx`'s findings matching `filters`, for storages that hold the
 * session in memory. The scan starts at `afterSeq` (a sequence number is a
 * position in the session's list), so a page costs what it reads, not the
 * session; totals come from the indexes when one equality filter is given,
 * else from a count cached per session version. Items are copies: a caller
 * changing one changes nothing stored.
 */
export function pageOfFindings(ctx: Context, filters: FindingFilters, page: FindingPageRequest): StoredFindingPage {
  const all = ctx.findings.all();
  const match = isUnfiltered(filters) ? undefined : findingMatcher(filters, (bot) => ctx.tierOf(bot));
  const items: Finding[] = [];
  const seqs: number[] = [];
  let i = Math.min(page.afterSeq ?? 0, all.length);
  for (; i < all.length && items.length < page.limit; i++) {
    const f = all[i]!;
    if (match !== undefined && !match(f)) continue;
    items.push(createFinding(storedFinding(f)));
    seqs.push(i + 1);
  }
  let more = false;
  for (; i < all.length && !more; i++) more = match === undefined || match(all[i]!);
  return { items, seqs, more, total: totalOf(ctx, filters, match), lastSeq: all.length };
}

/** True when `filters` hold no condition (an empty text search is none; an empty category or file prefix is one). */
export function isUnfiltered(f: FindingFilters): boolean {
  return f.bot === undefined && f.severity === undefined && f.category === undefined && f.tier === undefined && f.file === undefined && (f.q === undefined || f.q === '') && f.fixed === undefined;
}

/** A stable text of `filters`, for caches of counts and for cursors. */
export function filterKey(f: FindingFilters): string {
  return JSON.stringify([f.bot, f.severity, f.category, f.tier, f.file, f.q, f.fixed]);
}

const counted = new WeakMap<Context, { version: number; totals: Map<string, number> }>();

function totalOf(ctx: Context, f: FindingFilters, match: ((x: Finding) => boolean) | undefined): number {
  if (match === undefined) return ctx.findings.size;
  const only = (key: keyof FindingFilters): boolean => (Object.keys(f) as (keyof FindingFilters)[]).every((k) => k === key || f[k] === undefined || (k === 'q' && f.q === ''));
  if (f.bot !== undefined && only('bot')) return ctx.findings.bySource(f.bot).length;
  if (f.severity !== undefined && only('severity')) return ctx.findings.bySeverity(f.severity).length;
  if (f.category !== undefined && only('category')) return ctx.findings.byCategory(f.category).length;
  let c = counted.get(ctx);
  // A new version starts afresh, and so does a flood of distinct filters (memory stays bounded).
  if (c === undefined || c.version !== ctx.version || c.totals.size >= 256) {
    c = { version: ctx.version, totals: new Map() };
    counted.set(ctx, c);
  }
  const key = filterKey(f);
  let n = c.totals.get(key);
  if (n === undefined) {
    n = 0;
    for (const x of ctx.findings.all()) if (match(x)) n++;
    c.totals.set(key, n);
  }
  return n;
}
