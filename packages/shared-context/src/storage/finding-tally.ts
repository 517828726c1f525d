/**
 * A tally of a session held in memory: the file storage's answer to
 * `tallyFindings`, and the meaning PostgreSQL's `GROUP BY` is held to.
 */
import type { Context } from '../context/context.js';
import type { Finding } from '../findings/finding.js';
import type { Severity } from '../findings/severity.js';
import { findingMatcher, isUnfiltered } from './finding-filters.js';
import type { FindingFilters, FindingTally, TallyGroup, TallyRange } from './session-storage.js';

/**
 * Counts the findings of `ctx` matching `filters` whose sequence number (their
 * position, from 1) is in `range`, by severity, source and fixed. Groups come
 * in order of their first finding.
 */
export function tallyOfFindings(ctx: Context, filters: FindingFilters, range: TallyRange = {}): FindingTally {
  const all = ctx.findings.all();
  const match = isUnfiltered(filters) ? undefined : findingMatcher(filters, (bot) => ctx.tierOf(bot));
  const end = Math.min(range.throughSeq ?? all.length, all.length);
  const inRange = function* (): Generator<Finding> {
    for (let i = range.afterSeq ?? 0; i < end; i++) if (match === undefined || match(all[i]!)) yield all[i]!;
  };
  return { groups: tallyGroupsOf(inRange()), lastSeq: all.length };
}

/** The tally groups of some findings (by severity, source and fixed), in order of their first finding. */
export function tallyGroupsOf(findings: Iterable<Pick<Finding, 'severity' | 'source' | 'fixed'>>): TallyGroup[] {
  const groups = new Map<string, { severity: Severity; source: string; fixed: boolean; count: number }>();
  for (const f of findings) {
    const key = `${f.severity}\u0000${f.fixed ? 1 : 0}\u0000${f.source}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { severity: f.severity, source: f.source, fixed: f.fixed, count: 1 });
    else g.count++;
  }
  return [...groups.values()];
}
