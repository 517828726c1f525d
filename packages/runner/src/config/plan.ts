/**
 * A validated fleet file resolved into the {@link FleetPlan} the scheduler
 * runs: the checks that need the whole fleet (duplicate ids, dependencies,
 * cycles, tiers, `--only`), then every default applied and every path made
 * absolute.
 */
import path from 'node:path';
import type { BotId, BotInfo, Tier } from '@fleetkit/shared-context';
import { TIERS, botInfo } from '@fleetkit/shared-context';
import type { ConfigIssue } from '../errors.js';
import { FleetConfigError } from '../errors.js';
import type { BotCommand, FleetPlan, PlannedBot } from '../fleet-plan.js';
import { dependencyOrder, findCycles } from './dependencies.js';
import { timeoutMs } from './timeout.js';
import { loadFleetConfig } from './load.js';
import type { FleetBotConfig, FleetConfig } from './schema.js';
import { canonicalBotId, runShellIssue } from './schema.js';

/** Options of {@link planFleet}. */
export interface PlanOptions {
  /** The fleet file the config was read from: paths in it are relative to its directory, and errors name it as given. */
  readonly configFile: string;
  /** Run only these bots (ids in any roster spelling); their dependencies that are not selected are neither run nor waited for. */
  readonly only?: readonly string[];
}

/** The bots of the file as a graph: each bot's effective dependencies, as ids and as indices. */
interface Graph {
  readonly deps: readonly (readonly BotId[])[];
  readonly edges: readonly (readonly number[])[];
}

/** Indices of the bots by id: the first bot of each id (a later one is a duplicate, reported). */
function indexOfIds(bots: readonly FleetBotConfig[], issues: ConfigIssue[]): Map<BotId, number> {
  const index = new Map<BotId, number>();
  bots.forEach((bot, i) => {
    const first = index.get(bot.id);
    if (first === undefined) index.set(bot.id, i);
    else issues.push({ path: ['bots', i, 'id'], message: `${JSON.stringify(bot.id)} is already bot ${first}` });
  });
  return index;
}

/** Each bot's effective dependencies, checked: unknown ones and self-dependencies are reported and left out. */
function graphOf(bots: readonly FleetBotConfig[], index: ReadonlyMap<BotId, number>, issues: ConfigIssue[]): Graph {
  const deps: BotId[][] = [];
  const edges: number[][] = [];
  bots.forEach((bot, i) => {
    const ids: BotId[] = [];
    if (bot.dependsOn === undefined) {
      // The roster's dependencies that this fleet has: a fleet without rhodibot can still run panicbot.
      for (const dep of botInfo(bot.id)?.dependsOn ?? []) if (index.has(dep)) ids.push(dep);
    } else {
      bot.dependsOn.forEach((written, j) => {
        const dep = canonicalBotId(written);
        const where = ['bots', i, 'dependsOn', j];
        if (dep === bot.id) issues.push({ path: where, message: 'a bot cannot depend on itself' });
        else if (!index.has(dep)) {
          const roster = botInfo(dep) === undefined ? '' : ' (a roster bot, but not in this fleet)';
          issues.push({ path: where, message: `unknown bot ${JSON.stringify(written)}${roster}` });
        } else if (!ids.includes(dep)) ids.push(dep);
      });
    }
    deps.push(ids);
    edges.push(ids.map((dep) => index.get(dep) as number));
  });
  return { deps, edges };
}

/** The tier of each bot; a missing or wrong tier is reported. */
function tierOf(bot: FleetBotConfig, i: number, issues: ConfigIssue[]): Tier {
  const roster = botInfo(bot.id);
  if (roster === undefined) {
    if (bot.tier === undefined) issues.push({ path: ['bots', i, 'tier'], message: `required for a custom bot (one of ${TIERS.join(', ')})` });
    return bot.tier ?? 'custom';
  }
  if (bot.tier !== undefined && bot.tier !== roster.tier) {
    issues.push({
      path: ['bots', i, 'tier'],
      message: `${roster.id} is a "${roster.tier}" bot in the roster, not "${bot.tier}": leave "tier" out or set it to "${roster.tier}"`,
    });
  }
  return roster.tier;
}

/** The command of a bot; undefined (and reported) when `run` does not fit `shell`. */
function commandOf(bot: FleetBotConfig, i: number, issues: ConfigIssue[]): BotCommand | undefined {
  // parseFleetConfig rejects these already; a FleetConfig built in code has not been through it.
  const mismatch = runShellIssue(bot);
  if (mismatch !== undefined) {
    issues.push({ path: ['bots', i, 'run'], message: mismatch });
    return undefined;
  }
  if (typeof bot.run === 'string') return { shell: true, script: bot.run };
  const [program, ...args] = bot.run;
  if (program === undefined || program === '') {
    issues.push({ path: ['bots', i, 'run'], message: 'the program must not be empty' });
    return undefined;
  }
  return { shell: false, argv: [program, ...args] };
}

/** The bots `only` selects, or undefined for all; unknown ids are reported. */
function selectionOf(only: readonly string[] | undefined, index: ReadonlyMap<BotId, number>, issues: ConfigIssue[]): Set<BotId> | undefined {
  if (only === undefined) return undefined;
  if (only.length === 0) issues.push({ path: [], message: `--only: no bot given (bots: ${[...index.keys()].join(', ')})` });
  const selected = new Set<BotId>();
  for (const written of only) {
    const id = canonicalBotId(written.trim());
    if (index.has(id)) selected.add(id);
    else issues.push({ path: [], message: `--only: unknown bot ${JSON.stringify(written)} (bots: ${[...index.keys()].join(', ')})` });
  }
  return selected;
}

/** Registration info as shared-context's `registerBot` resolves it: the roster entry (or custom defaults) under what the file says. */
function infoOf(bot: FleetBotConfig, tier: Tier, dependsOn: readonly BotId[]): BotInfo {
  const roster = botInfo(bot.id);
  return Object.freeze({
    id: bot.id,
    name: bot.name ?? roster?.name ?? bot.id,
    description: roster?.description ?? '',
    version: roster?.version ?? '0.0.0',
    tier,
    categories: Object.freeze([...(roster?.categories ?? [])]),
    canFix: roster?.canFix ?? false,
    dependsOn: Object.freeze([...dependsOn]),
  });
}

/**
 * Resolves a validated fleet file into a {@link FleetPlan}: bots in a
 * dependency order that keeps file order where it can, defaults applied,
 * paths absolute. Every problem (duplicate ids, unknown or circular
 * dependencies, missing or wrong tiers, unknown `only` ids) is collected and
 * thrown together as one {@link FleetConfigError} for `options.configFile`.
 */
export function planFleet(config: FleetConfig, options: PlanOptions): FleetPlan {
  const issues: ConfigIssue[] = [];
  const { bots } = config;
  const index = indexOfIds(bots, issues);
  const graph = graphOf(bots, index, issues);
  for (const cycle of findCycles(graph.edges)) {
    const ids = cycle.map((i) => bots[i]?.id as BotId);
    issues.push({ path: ['bots', cycle[0] as number, 'dependsOn'], message: `dependency cycle: ${[...ids, ids[0]].join(' → ')}` });
  }
  const tiers = bots.map((bot, i) => tierOf(bot, i, issues));
  const commands = bots.map((bot, i) => commandOf(bot, i, issues));
  const selected = selectionOf(options.only, index, issues);
  if (issues.length > 0) throw new FleetConfigError(options.configFile, sortByPlace(issues));

  const configFile = path.resolve(options.configFile);
  const baseDir = path.dirname(configFile);
  const repoPath = path.resolve(baseDir, config.root ?? '.');
  const defaultTimeout = timeoutMs(config.timeout);
  const planned: PlannedBot[] = [];
  for (const i of dependencyOrder(graph.edges)) {
    const bot = bots[i] as FleetBotConfig;
    if (selected !== undefined && !selected.has(bot.id)) continue;
    // With --only, a dependency left out is not run, so it cannot be waited for.
    const deps = (graph.deps[i] ?? []).filter((dep) => selected === undefined || selected.has(dep));
    const cwd = path.resolve(repoPath, bot.cwd ?? '.');
    planned.push({
      id: bot.id,
      info: infoOf(bot, tiers[i] as Tier, deps),
      command: commands[i] as BotCommand,
      cwd,
      env: { ...bot.env },
      timeoutMs: bot.timeout === undefined ? defaultTimeout : timeoutMs(bot.timeout),
      output: bot.output === 'stdout' ? { kind: 'stdout' } : { kind: 'file', path: path.resolve(cwd, bot.output) },
      format: bot.format,
      okExitCodes: [...new Set(bot.okExitCodes)],
      allowFailure: bot.allowFailure,
      files: bot.files === undefined ? undefined : [...bot.files],
    });
  }
  return {
    configFile,
    // basename('/') is empty; a root directory is named by its path.
    repoName: config.repo ?? (path.basename(repoPath) || repoPath),
    repoPath,
    jobs: config.jobs,
    bots: planned,
    reports: (config.reports ?? []).map((r) => ({ format: r.format, out: path.resolve(baseDir, r.out) })),
    gate: { ...config.gate },
  };
}

/** Issues in file order (by bot, then field), `--only` problems last: the order people read the file in. */
function sortByPlace(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const key = (i: ConfigIssue): number => (i.path.length === 0 ? Number.MAX_SAFE_INTEGER : typeof i.path[1] === 'number' ? i.path[1] : -1);
  // Array.prototype.sort is stable: within a bot, issues keep the order the checks ran in.
  return [...issues].sort((a, b) => key(a) - key(b));
}

/** Reads, validates and plans a fleet file: {@link loadFleetConfig}, then {@link planFleet}. */
export async function loadFleetPlan(file: string, options: Pick<PlanOptions, 'only'> = {}): Promise<FleetPlan> {
  const config = await loadFleetConfig(file);
  return planFleet(config, { configFile: file, ...(options.only === undefined ? {} : { only: options.only }) });
}
