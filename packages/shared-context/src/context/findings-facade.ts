/**
 * Queries of a session's findings that need the session's bots, not just the
 * finding set: a finding knows its source bot, only the session knows that
 * bot's tier. The rest of `Context`'s findings methods hand straight to the set.
 */
import type { BotId, BotInfo } from '../bots/roster.js';
import type { Tier } from '../bots/tier.js';
import type { Finding } from '../findings/finding.js';
import { tierOfBot } from './lifecycle.js';
import type { FindingsView } from './session-view.js';

/**
 * Findings from every bot of `tier`, frozen (the session caches it until its
 * version changes). Sources are picked by tier first, so findings of other
 * tiers are never visited.
 */
export function findingsOfTier(findings: FindingsView, bots: ReadonlyMap<BotId, BotInfo>, tier: Tier): readonly Finding[] {
  const list: Finding[] = [];
  for (const source of findings.sources()) if (tierOfBot(bots, source) === tier) list.push(...findings.bySource(source));
  return Object.freeze(list);
}
