/**
 * The findings explorer's query: filters, a stable order (insertion order,
 * which never changes: findings are only appended and fixed in place) and
 * cursor pagination. The scan starts from the smallest matching index of the
 * FindingSet (bot, severity or category) instead of all findings, and a
 * cursor is a position in that append-only list, so pages never skip or
 * repeat a finding while new ones arrive.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Context, Finding, Severity, Tier } from '@fleetkit/shared-context';
import { HttpError } from './errors.js';

/** Filters of the findings API. */
export interface FindingFilters {
  readonly bot?: string;
  readonly severity?: Severity;
  readonly category?: string;
  readonly tier?: Tier;
  /** Findings whose file starts with this. */
  readonly file?: string;
  /** Case-insensitive text in the message, rule, file or element. */
  readonly q?: string;
  readonly fixed?: boolean;
}

/** One page of findings. */
export interface FindingPage {
  readonly items: readonly Finding[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
  /**
   * Where this page ended, also on the last page: pass it as `cursor` later to
   * get only the matching findings added since (following a live session).
   */
  readonly endCursor: string;
  /** Findings matching the filters (now). */
  readonly total: number;
}

type IndexKey = 'all' | 'bot' | 'severity' | 'category';

interface Cursor {
  readonly v: 1;
  readonly i: IndexKey;
  readonly p: number;
  readonly f: string;
}

const filterKey = (f: FindingFilters): string =>
  createHash('sha256')
    .update(JSON.stringify([f.bot, f.severity, f.category, f.tier, f.file, f.q, f.fixed]))
    .digest('base64url')
    .slice(0, 16);

function candidates(ctx: Context, f: FindingFilters): Array<{ key: IndexKey; list: readonly Finding[] }> {
  const out: Array<{ key: IndexKey; list: readonly Finding[] }> = [];
  if (f.bot !== undefined) out.push({ key: 'bot', list: ctx.findings.bySource(f.bot) });
  if (f.severity !== undefined) out.push({ key: 'severity', list: ctx.findings.bySeverity(f.severity) });
  if (f.category !== undefined) out.push({ key: 'category', list: ctx.findings.byCategory(f.category) });
  out.push({ key: 'all', list: ctx.findings.all() });
  return out;
}

function listFor(ctx: Context, f: FindingFilters, key: IndexKey): readonly Finding[] {
  switch (key) {
    case 'bot':
      return ctx.findings.bySource(f.bot!);
    case 'severity':
      return ctx.findings.bySeverity(f.severity!);
    case 'category':
      return ctx.findings.byCategory(f.category!);
    default:
      return ctx.findings.all();
  }
}

/** A predicate for the filters the chosen index does not already guarantee; undefined when none remain. */
function residual(ctx: Context, f: FindingFilters, key: IndexKey): ((x: Finding) => boolean) | undefined {
  const checks: Array<(x: Finding) => boolean> = [];
  if (f.bot !== undefined && key !== 'bot') checks.push((x) => x.source === f.bot);
  if (f.severity !== undefined && key !== 'severity') checks.push((x) => x.severity === f.severity);
  if (f.category !== undefined && key !== 'category') checks.push((x) => x.category === f.category);
  if (f.tier !== undefined) checks.push((x) => ctx.tierOf(x.source) === f.tier);
  if (f.fixed !== undefined) checks.push((x) => x.fixed === f.fixed);
  if (f.file !== undefined) {
    const prefix = f.file;
    checks.push((x) => x.file !== undefined && x.file.startsWith(prefix));
  }
  if (f.q !== undefined && f.q !== '') {
    const needle = f.q.toLowerCase();
    checks.push(
      (x) =>
        x.message.toLowerCase().includes(needle) ||
        x.ruleId.toLowerCase().includes(needle) ||
        (x.file?.toLowerCase().includes(needle) ?? false) ||
        (x.element?.toLowerCase().includes(needle) ?? false),
    );
  }
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (x) => checks.every((c) => c(x));
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, key: string): Cursor {
  const bad = (why: string): HttpError =>
    new HttpError(400, 'FK_HTTP_BAD_REQUEST', `query.cursor: ${why}`, { issues: [{ path: 'query.cursor', message: why }] });
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad('is not a cursor returned by this API');
  }
  const o = c as Partial<Cursor> | null;
  if (
    o === null ||
    typeof o !== 'object' ||
    o.v !== 1 ||
    !['all', 'bot', 'severity', 'category'].includes(o.i as string) ||
    !Number.isInteger(o.p) ||
    (o.p as number) < 0 ||
    typeof o.f !== 'string'
  ) {
    throw bad('is not a cursor returned by this API');
  }
  if (o.f !== key) throw bad('was issued for other filters; start again without a cursor');
  return o as Cursor;
}

/** Counts matches; cached per (session version, filters) so paging a filtered view does not rescan. */
export class FindingQuery {
  readonly #totals = new LRUCache<string, number>({ max: 256 });

  /** One page of findings matching `filters`, from `cursor`. */
  page(ctx: Context, filters: FindingFilters, limit: number, cursor?: string): FindingPage {
    const key = filterKey(filters);
    let index: IndexKey;
    let pos = 0;
    if (cursor !== undefined) {
      const c = decodeCursor(cursor, key);
      index = c.i;
      pos = c.p;
    } else {
      // Smallest index list that all matches must be in.
      index = candidates(ctx, filters).reduce((a, b) => (b.list.length < a.list.length ? b : a)).key;
    }
    const list = listFor(ctx, filters, index);
    const match = residual(ctx, filters, index);
    const items: Finding[] = [];
    let i = Math.min(pos, list.length);
    if (match === undefined) {
      const end = Math.min(list.length, i + limit);
      for (; i < end; i++) items.push(list[i]!);
    } else {
      for (; i < list.length && items.length < limit; i++) if (match(list[i]!)) items.push(list[i]!);
    }
    // A next page exists if any later element matches; find it cheaply by continuing the scan.
    let more = false;
    if (match === undefined) more = i < list.length;
    else for (let j = i; j < list.length; j++) if (match(list[j]!)) { more = true; i = j; break; }
    const end = encodeCursor({ v: 1, i: index, p: more ? i : list.length, f: key });
    return {
      items,
      nextCursor: more ? end : null,
      endCursor: end,
      total: this.#total(ctx, key, index, list, match),
    };
  }

  #total(ctx: Context, key: string, index: IndexKey, list: readonly Finding[], match: ((x: Finding) => boolean) | undefined): number {
    if (match === undefined) return list.length;
    const cacheKey = `${ctx.sessionId}\u0000${ctx.version}\u0000${key}\u0000${index}`;
    const hit = this.#totals.get(cacheKey);
    if (hit !== undefined) return hit;
    let n = 0;
    for (const x of list) if (match(x)) n++;
    this.#totals.set(cacheKey, n);
    return n;
  }
}
