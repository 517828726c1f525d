/** Test helper: fleet files of small real bots (the runner's stand-in tool, `bot.mjs`), written into a directory. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../run-fleet.js';

/** The stand-in tool: `node bot.mjs MODE JSON` (sleeps, exit codes, SARIF / ESLint / rdjson output, a crash, a hang). */
export const fixtureBot = path.join(repoRoot, 'packages', 'runner', 'test', 'fixtures', 'bot.mjs');

/** The `run` argv of a stand-in bot. */
export function botRun(mode: string, options: Record<string, unknown> = {}): string[] {
  return ['node', fixtureBot, mode, JSON.stringify(options)];
}

/** Writes `fleet` as `dir/name` (default fleet.config.json) and returns its path. */
export function writeFleet(dir: string, fleet: Record<string, unknown>, name = 'fleet.config.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${JSON.stringify(fleet, null, 2)}\n`);
  return file;
}

/** What `fleet run --json` prints. */
export interface RunJSON {
  readonly sessionId: string;
  readonly recordedAs: string | null;
  readonly jobs: number;
  readonly peakConcurrency: number;
  readonly interrupted: boolean;
  readonly failed: string[];
  readonly bots: { id: string; status: string; reason?: string; findings: number; severities: Record<string, number>; durationMs: number; cause?: string }[];
  readonly health: { status: string; score: number; alerts: { category: string; bot: string | null; message: string }[] };
  readonly gate: { passed: boolean } | null;
  readonly reports: { format: string; file: string }[];
  readonly session: string | null;
  readonly store: string | null;
  readonly recordingError: string | null;
  readonly exitCode: number;
}
