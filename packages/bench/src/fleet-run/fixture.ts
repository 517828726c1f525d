/**
 * The benchmark's fleet: a dependency-free bot script (`emit.mjs`) that
 * writes N findings as rdjson to stdout, and a fleet file of B such bots,
 * all independent (one level of the dependency order).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `node emit.mjs N BOT`: N rdjson diagnostics for bot BOT on stdout. Each
 * has its own file and line, so import de-duplicates none of them (the
 * fingerprint folds digits in messages, not in paths); severities cycle
 * ERROR, WARNING, INFO, WARNING, INFO. One write of the whole document: on
 * Linux a pipe on stdout is written synchronously, so nothing is lost at exit.
 */
export const EMIT_SCRIPT = `// Written by @fleetkit/bench fleet-run: node emit.mjs N BOT writes N rdjson findings to stdout.
const n = Number(process.argv[2] ?? '1000');
const bot = process.argv[3] ?? 'emit';
if (!Number.isInteger(n) || n < 0) {
  process.stderr.write('usage: node emit.mjs N BOT\\n');
  process.exit(2);
}
const SEVERITIES = ['ERROR', 'WARNING', 'INFO', 'WARNING', 'INFO'];
const diagnostics = [];
for (let i = 0; i < n; i++) {
  diagnostics.push({
    message: bot + ': finding ' + i + ' of rule ' + (1 + (i % 20)),
    location: { path: 'src/' + bot + '/dir-' + Math.floor(i / 100) + '/file-' + i + '.ts', range: { start: { line: 1 + (i % 400), column: 1 + (i % 80) } } },
    severity: SEVERITIES[i % SEVERITIES.length],
    code: { value: 'RULE-' + (1 + (i % 20)) },
  });
}
process.stdout.write(JSON.stringify({ source: { name: bot }, diagnostics }));
`;

/** What {@link writeFixture} makes. */
export interface Fixture {
  /** The directory everything is in (also the fleet's repository root). */
  readonly dir: string;
  readonly emitPath: string;
  readonly configPath: string;
  readonly botIds: readonly string[];
  /** Each bot's argv, exactly as in the fleet file (the bare scheduler runs the same). */
  readonly commands: readonly (readonly [string, ...string[]])[];
}

/** Bot ids `bot-01`…: lower-case kebab-case, zero-padded so they sort in order. */
export function botIds(bots: number): string[] {
  const width = Math.max(2, String(bots).length);
  return Array.from({ length: bots }, (_, i) => `bot-${String(i + 1).padStart(width, '0')}`);
}

/**
 * The fleet file's content for `commands` (one custom bot each, rdjson on
 * stdout, no dependencies) with `jobs` bots at once.
 */
export function fleetFile(ids: readonly string[], commands: readonly (readonly string[])[], jobs: number): { repo: string; jobs: number; bots: { id: string; tier: string; run: string[]; format: string }[] } {
  return { repo: 'bench', jobs, bots: ids.map((id, i) => ({ id, tier: 'custom', run: [...(commands[i] ?? [])], format: 'rdjson' })) };
}

/**
 * Writes `emit.mjs` and `fleet.json` (B bots of N findings, `jobs` at once)
 * into `dir`. Bots run `node` by its absolute path (this process's), so the
 * fleet and the bare scheduler start the very same binary.
 */
export function writeFixture(dir: string, o: { bots: number; findings: number; jobs: number; node?: string }): Fixture {
  mkdirSync(dir, { recursive: true });
  const emitPath = join(dir, 'emit.mjs');
  writeFileSync(emitPath, EMIT_SCRIPT);
  const ids = botIds(o.bots);
  const node = o.node ?? process.execPath;
  const commands = ids.map((id): [string, ...string[]] => [node, emitPath, String(o.findings), id]);
  const configPath = join(dir, `fleet-${o.bots}.json`);
  writeFileSync(configPath, `${JSON.stringify(fleetFile(ids, commands, o.jobs), null, 2)}\n`);
  return { dir, emitPath, configPath, botIds: ids, commands };
}
