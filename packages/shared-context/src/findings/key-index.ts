/**
 * The per-key indexes of a FindingSet: its findings listed by source bot, by
 * category and by severity, each list in insertion order. The set builds them
 * at its first query and then keeps them up to date on every add (see
 * finding-set.ts for why not before).
 */
import type { BotId } from '../bots/roster.js';
import type { Finding } from './finding.js';
import type { Severity } from './severity.js';

/** The three indexes. */
export interface KeyIndexes {
  readonly bySource: Map<BotId, Finding[]>;
  readonly byCategory: Map<string, Finding[]>;
  readonly bySeverity: Record<Severity, Finding[]>;
}

/** Empty indexes. */
export function newKeyIndexes(): KeyIndexes {
  return { bySource: new Map(), byCategory: new Map(), bySeverity: { error: [], warning: [], info: [], suggestion: [] } };
}

/** Adds a finding to each index. */
export function indexFinding(bySource: Map<BotId, Finding[]>, byCategory: Map<string, Finding[]>, bySeverity: Record<Severity, Finding[]>, f: Finding): void {
  push(bySource, f.source, f);
  push(byCategory, f.category, f);
  // A switch, not `bySeverity[f.severity]`: a record changed behind its
  // readonly type (as some tests do on purpose) must not reach a prototype
  // key or crash; a value that is not a severity is filed with the suggestions.
  switch (f.severity) {
    case 'error':
      bySeverity.error.push(f);
      break;
    case 'warning':
      bySeverity.warning.push(f);
      break;
    case 'info':
      bySeverity.info.push(f);
      break;
    default:
      bySeverity.suggestion.push(f);
  }
}

function push<K>(index: Map<K, Finding[]>, key: K, f: Finding): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [f]);
  else list.push(f);
}
