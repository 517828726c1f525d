/**
 * Every package as a user gets it: packed with `pnpm pack`, installed from the
 * tarballs into an empty project with npm, imported from plain Node, and its
 * types checked with tsc. publint must pass for each package.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/paths.js';

const TSC_TIMEOUT_MS = 180_000;

const packagesDir = join(repoRoot, 'packages');
const packages = readdirSync(packagesDir)
  .filter((d) => existsSync(join(packagesDir, d, 'package.json')))
  .map((d) => ({ dir: join(packagesDir, d), manifest: JSON.parse(readFileSync(join(packagesDir, d, 'package.json'), 'utf8')) as { name: string; private?: boolean } }))
  .filter((p) => p.manifest.private !== true);

let work: string;
let project: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
}

beforeAll(() => {
  // Builds are cached by turbo; this makes sure every dist/ exists and is current.
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], repoRoot);
  work = mkdtempSync(join(tmpdir(), 'fleetkit-pack-'));
  const tarballs = packages.map((p) => {
    const out = run('pnpm', ['pack', '--pack-destination', work], p.dir).trim().split('\n').at(-1) as string;
    return out.startsWith('/') ? out : join(work, out);
  });
  project = join(work, 'project');
  run('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...tarballs], project);
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('packages as installed from their tarballs', () => {
  it('import from plain Node outside the workspace', () => {
    const script = `
      import { Context } from '@fleetkit/shared-context';
      const ctx = new Context('consumer', '/tmp/consumer');
      ctx.registerAllBots();
      ctx.addFinding({ source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'm' });
      console.log(JSON.stringify(ctx.summary()));
      ${packages.filter((p) => p.manifest.name !== '@fleetkit/shared-context').map((p) => `await import(${JSON.stringify(p.manifest.name)});`).join('\n')}
    `;
    writeFileSync(join(project, 'check.mjs'), script);
    const out = JSON.parse(run('node', ['check.mjs'], project)) as { totalErrors: number; blocksRelease: boolean };
    expect(out).toMatchObject({ totalErrors: 1, blocksRelease: true });
  });

  // A cold tsc run takes seconds alone and much longer on a loaded 2-core machine; the timeout only stops a hang.
  it('ship types that type-check in a strict NodeNext project', () => {
    writeFileSync(
      join(project, 'check.ts'),
      `import { Context, type Finding, type FleetHealth } from '@fleetkit/shared-context';
       const ctx: Context = new Context('consumer', '/tmp');
       const f: Finding = ctx.addFinding({ source: 'rhodibot', ruleId: 'r', severity: 'warning', message: 'm' });
       const h: FleetHealth = ctx.healthCheck();
       const score: number = h.healthScore;
       // @ts-expect-error severity is a closed list
       ctx.addFinding({ source: 'rhodibot', ruleId: 'r', severity: 'fatal', message: 'm' });
       export { f, score };
      `,
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = run('node', [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', join(repoRoot, 'node_modules', '@types'), 'check.ts'], project);
    expect(out).toBe('');
  }, TSC_TIMEOUT_MS);

  it('give the dashboard: a working bin, and a typed client subpath', () => {
    const help = run(join(project, 'node_modules', '.bin', 'fleet-dashboard'), ['--help'], project);
    expect(help).toContain('--storage DIR');
    writeFileSync(
      join(project, 'client.ts'),
      `import { createDashboardClient, DashboardApiError, type LiveEvent } from '@fleetkit/dashboard/client';
       const client = createDashboardClient({ baseUrl: 'http://127.0.0.1:1' });
       const onEvent = (e: LiveEvent): number => (e.type === 'snapshot' ? e.data.findings.total : e.data.version);
       export const stop: () => void = client.subscribe('s', (e) => void onEvent(e), { signal: AbortSignal.abort() });
       export const isApiError = (e: unknown): boolean => e instanceof DashboardApiError;
      `,
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = run('node', [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', '--typeRoots', join(repoRoot, 'node_modules', '@types'), 'client.ts'], project);
    expect(out).toBe('');
  }, TSC_TIMEOUT_MS);

  it.each(packages.map((p) => [p.manifest.name, p.dir] as const))('%s passes publint --strict', (_name, dir) => {
    const out = run('pnpm', ['exec', 'publint', '--strict', '--level', 'suggestion'], dir);
    expect(out).not.toMatch(/Errors?:|Warnings?:/);
  });
});
