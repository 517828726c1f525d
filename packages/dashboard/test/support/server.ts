/**
 * A real dashboard on a real socket over a fresh storage: a temporary
 * directory, or a fresh database on the PostgreSQL server the test setup
 * started — the API suite runs on both.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Context, importFindingsFile, STANDARD_BOTS } from '@fleetkit/shared-context';
import type { SessionStorage } from '@fleetkit/shared-context';
import { openStorage } from '@fleetkit/store-postgres';
import { testPostgres } from '@fleetkit/testing-postgres';
import type { Dashboard, DashboardOptions, ErrorBody } from '../../src/index.js';
import { createDashboard } from '../../src/index.js';

/** The storages the API suite runs on. */
export type StoreKind = 'files' | 'postgres';
export const STORE_KINDS: readonly StoreKind[] = ['files', 'postgres'];

/** A fresh, empty store of `kind`: a temporary directory or a new database; `dispose` removes a directory. */
export async function freshStore(kind: StoreKind): Promise<{ spec: string; dispose(): Promise<void> }> {
  if (kind === 'postgres') return { spec: await testPostgres().createDatabase(), dispose: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'fk-dash-test-'));
  return { spec: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export const TOKEN = 'test-token-0123456789abcdef';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The vendored real-input corpus (`fixtures/` at the repository root). */
export const corpusDir = resolve(repoRoot, 'fixtures');

export interface Running {
  readonly d: Dashboard;
  readonly url: string;
  /** The store served: a directory or a database URL. */
  readonly store: string;
  readonly kind: StoreKind;
  /** The directory served (file storage only). */
  readonly dir: string;
  /** Another storage object on the same store, as another process (a CLI, another replica) would have; closed by stop(). */
  backend(): Promise<SessionStorage>;
  /** fetch against the server; JSON bodies, optional token. */
  api<T = ErrorBody>(method: string, path: string, body?: unknown, options?: { token?: string | null; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; headers: Headers; json: T; text: string }>;
  stop(): Promise<void>;
}

/** Starts a dashboard on a fresh store of `kind` (or on `store`, which it then leaves in place). */
export async function startDashboard(options: Partial<DashboardOptions> = {}, store?: string, kind: StoreKind = 'files'): Promise<Running> {
  const fresh = store === undefined ? await freshStore(kind) : undefined;
  const spec = store ?? fresh!.spec;
  const d = await createDashboard({ store: spec, port: 0, token: TOKEN, ...options });
  const url = await d.listen();
  const backends: SessionStorage[] = [];
  return {
    d,
    url,
    store: spec,
    kind: spec.startsWith('postgres') ? 'postgres' : 'files',
    dir: spec,
    async backend() {
      const b = await openStorage(spec, { postgres: { maxConnections: 2 } });
      backends.push(b);
      return b;
    },
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
      for (const b of backends) await b.close();
      await fresh?.dispose();
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

/** Saves a context into the store, as another process would. */
export async function saveElsewhere(s: Running, ctx: Context): Promise<void> {
  await (await s.backend()).saveSession(ctx);
}
