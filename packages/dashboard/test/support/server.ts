/** A real dashboard on a real socket over a temporary storage directory. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Context, ContextStorage, importFindingsFile, STANDARD_BOTS } from '@fleetkit/shared-context';
import type { Dashboard, DashboardOptions, ErrorBody } from '../../src/index.js';
import { createDashboard } from '../../src/index.js';

export const TOKEN = 'test-token-0123456789abcdef';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The vendored real-input corpus (`fixtures/` at the repository root). */
export const corpusDir = resolve(repoRoot, 'fixtures');

export interface Running {
  readonly d: Dashboard;
  readonly url: string;
  readonly dir: string;
  /** fetch against the server; JSON bodies, optional token. */
  api<T = ErrorBody>(method: string, path: string, body?: unknown, options?: { token?: string | null; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; headers: Headers; json: T; text: string }>;
  stop(): Promise<void>;
}

export async function startDashboard(options: Partial<DashboardOptions> = {}, dir?: string): Promise<Running> {
  const storage = dir ?? (await mkdtemp(join(tmpdir(), 'fk-dash-test-')));
  const d = await createDashboard({ storage, port: 0, token: TOKEN, ...options });
  const url = await d.listen();
  return {
    d,
    url,
    dir: storage,
    async api<T>(method: string, path: string, body?: unknown, o: { token?: string | null; headers?: Record<string, string>; raw?: string } = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const token = o.token === undefined ? TOKEN : o.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined = o.raw;
      if (body !== undefined) payload = JSON.stringify(body);
      if (payload !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json: json as T, text };
    },
    async stop() {
      await d.close();
      if (dir === undefined) await rm(storage, { recursive: true, force: true });
    },
  };
}

/**
 * A session of real findings: the original fleet's own findings files for
 * one repository, imported with the library's importer (as `fleet import` does).
 */
export async function corpusContext(repo = 'echidnabot', sessionId?: string): Promise<Context> {
  if (!existsSync(corpusDir)) throw new Error(`test corpus not found at ${corpusDir} (the repository's fixtures/ directory)`);
  const dir = join(corpusDir, 'gitbot-fleet', 'findings', repo);
  const ctx = new Context(repo, `/var/repos/${repo}`, sessionId === undefined ? {} : { sessionId });
  ctx.registerAllBots();
  for (const name of (await readdir(dir)).sort()) {
    const r = await importFindingsFile(join(dir, name));
    const fresh = r.findings.filter((f) => !ctx.findings.has(f.id));
    if (fresh.length > 0) ctx.addFindings(fresh);
  }
  for (const bot of STANDARD_BOTS.slice(0, 4)) {
    ctx.startBot(bot);
    ctx.completeBot(bot, { findings: ctx.findingsFrom(bot).length, errors: 0, files: 10 });
  }
  return ctx;
}

/** Saves a context into a storage directory, as another process would. */
export async function saveElsewhere(dir: string, ctx: Context): Promise<void> {
  await new ContextStorage(dir).saveContext(ctx);
}
