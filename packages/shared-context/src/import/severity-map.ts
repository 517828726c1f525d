/** The severity spellings of real tools, mapped onto fleetkit's four severities. */
import type { Severity } from '../findings/severity.js';

const MAP: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'error'],
  ['high', 'error'],
  ['error', 'error'],
  ['medium', 'warning'],
  ['warning', 'warning'],
  ['moderate', 'warning'],
  ['low', 'info'],
  ['info', 'info'],
  ['note', 'info'],
  ['none', 'info'],
  ['suggestion', 'suggestion'],
  ['hint', 'suggestion'],
]);

/**
 * Maps a tool's severity (`critical`, `High`, `moderate`, `note`, `hint`, …,
 * any case) to a fleetkit severity; undefined for a spelling it does not know.
 */
export function mapSeverity(raw: unknown): Severity | undefined {
  if (typeof raw !== 'string') return undefined;
  return MAP.get(raw.trim().toLowerCase());
}

/** The accepted spellings, for error messages. */
export const SEVERITY_SPELLINGS: readonly string[] = [...MAP.keys()];
