/** `fleet bots`: the roster, optionally one tier. */
import type { Tier } from '@fleetkit/shared-context';
import { ROSTER_BOTS, STANDARD_BOTS } from '@fleetkit/shared-context';
import type { OptionValues } from '../cli-options.js';
import { EXIT } from '../errors.js';
import type { Io } from '../output.js';
import { line, stylesFor } from '../output.js';

/** Runs `fleet bots`. */
export function runBots(values: OptionValues<'bots'>, io: Io): number {
  const bots = ROSTER_BOTS.filter((b) => values.tier === undefined || b.tier === (values.tier as Tier));
  if (values.json === true) {
    line(io.stdout, JSON.stringify(bots.map((b) => ({ ...b, standard: STANDARD_BOTS.includes(b.id) })), null, 2));
    return EXIT.ok;
  }
  const st = stylesFor(io.stdout, io.env);
  const rows = bots.map((b) => [b.id, b.name, b.tier, b.canFix ? 'yes' : 'no', b.dependsOn.join(', ') || '–', STANDARD_BOTS.includes(b.id) ? '' : '(external, never dispatched)']);
  const head = ['id', 'name', 'tier', 'can fix', 'depends on', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  line(io.stdout, st.bold(fmt(head)));
  for (const r of rows) line(io.stdout, fmt(r));
  if (bots.length === 0) line(io.stdout, st.dim(`no roster bot has tier ${values.tier ?? ''}`));
  return EXIT.ok;
}
