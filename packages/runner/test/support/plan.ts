/** Test helper: plans built by hand (the fleet file's own tests are elsewhere), running test/fixtures/bot.mjs. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BotInfo } from '@fleetkit/shared-context';
import { botInfo } from '@fleetkit/shared-context';
import type { FleetPlan, PlannedBot } from '../../src/fleet-plan.js';

export const fixtureBot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'bot.mjs');

/** A bot running `node bot.mjs mode options`. */
export function bot(id: string, mode: string, options: Record<string, unknown> = {}, extra: Partial<Omit<PlannedBot, 'info'>> & { dependsOn?: string[] } = {}): PlannedBot {
  const roster = botInfo(id);
  const info: BotInfo = {
    id,
    name: roster?.name ?? id,
    description: '',
    version: '0.0.0',
    tier: roster?.tier ?? 'custom',
    categories: [],
    canFix: false,
    dependsOn: extra.dependsOn ?? [],
  };
  const { dependsOn: _d, ...rest } = extra;
  return {
    id,
    info,
    command: { shell: false, argv: [process.execPath, fixtureBot, mode, JSON.stringify(options)] },
    cwd: process.cwd(),
    env: {},
    timeoutMs: 30_000,
    output: { kind: 'stdout' },
    format: undefined,
    okExitCodes: [0, 1],
    allowFailure: false,
    files: undefined,
    ...rest,
  };
}

/** A plan of `bots` (given in a dependency order). */
export function plan(bots: readonly PlannedBot[], repoPath = process.cwd()): FleetPlan {
  return { configFile: path.join(repoPath, 'fleet.config.json'), repoName: 'test/repo', repoPath, jobs: undefined, bots, reports: [], gate: {} };
}

/** True while a process with this pid exists (and is not a zombie). */
export async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed grandchild re-parented to init may linger as a zombie for a moment: that is not running.
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return !/^\d+ \(.*\) Z/.test(stat);
}
