/** `fleet health`: the health check of a session, as a box like the original fleet's, or as JSON. */
import type { FleetHealth } from '@fleetkit/shared-context';
import type { OptionValues } from '../cli-options.js';
import { EXIT } from '../errors.js';
import type { Io, Styles } from '../output.js';
import { line, stylesFor } from '../output.js';
import { loadSessions } from '../session-source.js';

/** Runs `fleet health`. */
export async function runHealth(values: OptionValues<'health'>, io: Io): Promise<number> {
  const { ctx } = await loadSessions(values, io);
  const health = ctx.healthCheck();
  if (values.json === true) line(io.stdout, JSON.stringify(health, null, 2));
  else line(io.stdout, healthBox(ctx.repoName, health, stylesFor(io.stdout, io.env)));
  return EXIT.ok;
}

/** The health check as a box of text, 60 columns wide. */
export function healthBox(repo: string, h: FleetHealth, st: Styles): string {
  const width = 58;
  const colour = h.status === 'healthy' ? st.green : h.status === 'degraded' ? st.yellow : st.red;
  const row = (text: string, paint: (s: string) => string = (s) => s): string => {
    const clipped = text.length > width - 2 ? `${text.slice(0, width - 3)}…` : text;
    return `│ ${paint(clipped.padEnd(width - 2))} │`;
  };
  const m = h.systemMetrics;
  const lines = [
    `┌${'─'.repeat(width)}┐`,
    row(`FLEET HEALTH: ${repo}`, st.bold),
    `├${'─'.repeat(width)}┤`,
    row(`Status: ${h.status.toUpperCase()}   Score: ${h.healthScore.toFixed(0)}/100`, colour),
    row(`Bots: ${m.totalBots} total, ${m.botsCompleted} completed, ${m.botsInProgress} running, ${m.botsFailed} failed`),
    row(`Findings: ${m.totalFindings}   Error rate: ${(m.errorRate * 100).toFixed(1)}%`),
  ];
  const tiers = Object.values(h.tierHealth);
  if (tiers.length > 0) {
    lines.push(`├${'─'.repeat(width)}┤`);
    for (const t of tiers) if (t !== undefined) lines.push(row(`${t.tier.padEnd(11)} ${t.status.padEnd(10)} ${t.healthyCount}/${t.botCount} completed, ${t.totalFindings} findings`));
  }
  if (h.alerts.length > 0) {
    lines.push(`├${'─'.repeat(width)}┤`);
    for (const a of h.alerts.slice(0, 10)) lines.push(row(`${a.severity.toUpperCase()}: ${a.message}`, a.severity === 'warning' ? st.yellow : st.red));
    if (h.alerts.length > 10) lines.push(row(`… and ${h.alerts.length - 10} more alerts`));
  }
  lines.push(`└${'─'.repeat(width)}┘`);
  return lines.join('\n');
}
