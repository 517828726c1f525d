/** Test helper: builds the CLI once and runs the built `fleet` binary as a child process. */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(cliRoot, '..', '..');
/** The vendored real-input corpus (`fixtures/` at the repository root). */
export const corpus = path.resolve(repoRoot, 'fixtures');
/** The `fleet` command as installed: the committed entry point, which loads dist/. */
export const bin = path.join(cliRoot, 'bin', 'fleet.js');

/** Builds `@fleetkit/cli` and the packages it depends on, so tests run the real binary; once per test run (see build-once.ts). */
export function buildCli(): void {
  if (process.env.FLEETKIT_CLI_BUILT === '1') return;
  execFileSync('pnpm', ['--filter', '@fleetkit/cli...', 'run', 'build'], { cwd: repoRoot, stdio: 'pipe' });
}

/** What a run of `fleet` gave. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/fleet.js …args` in `cwd`, with colour variables cleared unless given in `env`. */
export function fleet(args: readonly string[], cwd: string, env: Record<string, string> = {}): Run {
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
