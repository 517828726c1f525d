/**
 * The findings explorer's filters as SQL: every value is a parameter, never
 * text spliced into the statement, and the file prefix and the search text
 * are matched with `starts_with` and `strpos`, which take no patterns (a `%`
 * or `_` in a filter is an ordinary character). Same meaning as the library's
 * `findingMatcher`; case-folding of the search text is the database's
 * `lower()` (the same as JavaScript's for ASCII letters).
 */
import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres';
import { botsOfTier } from '@fleetkit/shared-context';
import type { BotInfo, FindingFilters } from '@fleetkit/shared-context';
import { closeText } from './finding-rows.js';

/** A piece of SQL with its parameters. */
export type Fragment = PendingQuery<Row[]>;

/** The WHERE conditions of `filters` for one session's findings; `bots` are the session's registered bots (for `tier`). */
export function filterSql(sql: Sql<{ int8: number }> | TransactionSql<{ int8: number }>, sessionId: string, filters: FindingFilters, bots: readonly BotInfo[]): Fragment {
  const parts: Fragment[] = [sql`session_id = ${sessionId}`];
  if (filters.bot !== undefined) parts.push(sql`source = ${closeText(filters.bot)}`);
  if (filters.severity !== undefined) parts.push(sql`severity = ${filters.severity}`);
  if (filters.category !== undefined) parts.push(sql`category = ${closeText(filters.category)}`);
  // Written out, not a parameter: a plan made for any value could not use the index of fixed findings.
  if (filters.fixed !== undefined) parts.push(filters.fixed ? sql`fixed` : sql`NOT fixed`);
  if (filters.file !== undefined) parts.push(sql`starts_with(file, ${closeText(filters.file)})`);
  if (filters.tier !== undefined) {
    const t = botsOfTier(bots, filters.tier);
    parts.push('in' in t ? sql`source = ANY(${sql.array(t.in, 25)}::text[])` : sql`NOT (source = ANY(${sql.array(t.notIn, 25)}::text[]))`);
  }
  if (filters.q !== undefined && filters.q !== '') {
    const q = closeText(filters.q);
    parts.push(
      sql`(strpos(lower(message), lower(${q})) > 0 OR strpos(lower(rule_id), lower(${q})) > 0 OR strpos(lower(coalesce(file, '')), lower(${q})) > 0 OR strpos(lower(coalesce(element, '')), lower(${q})) > 0)`,
    );
  }
  return parts.reduce((a, b) => sql`${a} AND ${b}`);
}
