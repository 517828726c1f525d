/**
 * The findings explorer's query: filters, a stable order (the session's
 * order, which never changes: findings are only appended and fixed in place)
 * and cursor pagination. The storage does the filtering (in SQL for a
 * database); a cursor is a sequence number (a keyset, never an offset) with
 * the filters it was issued for, so pages never skip or repeat a finding while
 * new ones arrive, and a page's end cursor later gives only what was added since.
 */
import { createHash } from 'node:crypto';
import { filterKey } from '@fleetkit/shared-context';
import type { Finding, FindingFilters } from '@fleetkit/shared-context';
import type { SessionStore } from './store.js';
import { HttpError } from './errors.js';
import { PageCache } from './page-cache.js';

export type { FindingFilters } from '@fleetkit/shared-context';

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

interface Cursor {
  readonly v: 2;
  /** The sequence number the next page starts after. */
  readonly s: number;
  /** The filters it was issued for. */
  readonly f: string;
}

/** The cursor's tag of the filters, from their text (`filterKey`). */
const cursorKey = (filterText: string): string => createHash('sha256').update(filterText).digest('base64url').slice(0, 16);

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
  if (o === null || typeof o !== 'object' || o.v !== 2 || !Number.isSafeInteger(o.s) || (o.s as number) < 0 || typeof o.f !== 'string') {
    throw bad('is not a cursor returned by this API');
  }
  if (o.f !== key) throw bad('was issued for other filters; start again without a cursor');
  return o as Cursor;
}

/**
 * Pages of a session's findings from the store (which filters in the storage,
 * or in the session it holds), and serialized pages kept in a {@link PageCache}
 * while the session held is unchanged.
 */
export class FindingQuery {
  readonly #store: Pick<SessionStore, 'queryFindings' | 'heldStamp'>;
  readonly #pages: PageCache;

  constructor(store: Pick<SessionStore, 'queryFindings' | 'heldStamp'>, pages: PageCache = new PageCache(0)) {
    this.#store = store;
    this.#pages = pages;
  }

  /** One page of findings matching `filters`, from `cursor`. */
  async page(sessionId: string, filters: FindingFilters, limit: number, cursor?: string): Promise<FindingPage> {
    const key = cursorKey(filterKey(filters));
    return this.#page(sessionId, filters, key, cursor === undefined ? 0 : decodeCursor(cursor, key).s, limit);
  }

  /**
   * The page `page()` gives, serialized by `serialize`: kept, and answered
   * again without a query, until the session held here changes (a session
   * not held here is read each time).
   */
  async serializedPage(sessionId: string, filters: FindingFilters, limit: number, cursor: string | undefined, serialize: (page: FindingPage) => string): Promise<string> {
    const text = filterKey(filters);
    // Hashed only when a cursor is read or made: a page answered from the cache needs neither.
    let key: string | undefined;
    const keyOf = (): string => (key ??= cursorKey(text));
    const after = cursor === undefined ? 0 : decodeCursor(cursor, keyOf()).s;
    // The filters themselves, not their hash: two filters must never share a page.
    const cacheKey = `${sessionId}\n${text}\n${after}\n${limit}`;
    const make = async (): Promise<string> => serialize(await this.#page(sessionId, filters, keyOf(), after, limit));
    // Kept only for a session held here: its stamp tells when the page is old.
    const stamp = this.#pages.enabled ? this.#store.heldStamp(sessionId) : undefined;
    return stamp === undefined ? make() : this.#pages.get(cacheKey, stamp, make);
  }

  async #page(sessionId: string, filters: FindingFilters, key: string, after: number, limit: number): Promise<FindingPage> {
    const p = await this.#store.queryFindings(sessionId, filters, { afterSeq: after, limit });
    // More to come: the next page starts after this one. None: after everything the session held when read.
    const end = encodeCursor({ v: 2, s: p.more ? p.seqs.at(-1)! : Math.max(after, p.lastSeq), f: key });
    return { items: p.items, nextCursor: p.more ? end : null, endCursor: end, total: p.total };
  }
}
