/**
 * The storage a load run serves: a temporary directory (one dashboard), or a
 * PostgreSQL database (two replicas) — on FLEETKIT_PG_URL's server, or on a
 * throwaway server started here from the distribution's binaries and removed
 * afterwards. Either way the session is saved through the library's own
 * storage, as `fleet import` would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextStorage } from '@fleetkit/shared-context';
import type { Context } from '@fleetkit/shared-context';
import { PostgresStorage } from '@fleetkit/store-postgres';
import type { TestPostgres } from '@fleetkit/testing-postgres/server';
import type * as ServerStarter from '@fleetkit/testing-postgres/server';
import { BenchError } from '../errors.js';

/**
 * The server starter lives in the workspace's private test package: loaded
 * only for `--store postgres`, so an installed @fleetkit/bench needs it only there.
 */
async function serverStarter(): Promise<typeof ServerStarter> {
  try {
    return await import('@fleetkit/testing-postgres/server');
  } catch (err) {
    throw new BenchError('FK_BENCH_USAGE', `--store postgres needs @fleetkit/testing-postgres (run it from the fleetkit repository): ${(err as Error).message}`);
  }
}

/** A store for a load run. */
export interface LoadStore {
  readonly kind: 'files' | 'postgres';
  /** What the dashboards are given (FLEETKIT_STORE): a directory or a database URL. */
  readonly spec: string;
  /** Dashboard processes to start on it. */
  readonly replicas: number;
  save(ctx: Context): Promise<void>;
  close(): Promise<void>;
}

/** Creates the store of `kind`, empty. */
export async function openLoadStore(kind: 'files' | 'postgres', log: (s: string) => void): Promise<LoadStore> {
  if (kind === 'files') {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-load-'));
    return {
      kind,
      spec: dir,
      replicas: 1,
      save: async (ctx) => new ContextStorage(dir).saveContext(ctx).then(() => undefined),
      close: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { connectToExisting, startTestPostgres } = await serverStarter();
  const external = process.env.FLEETKIT_PG_URL;
  // fsync on: ingest numbers must include what a real server pays for durability.
  const pg: TestPostgres = external !== undefined && external !== '' ? await connectToExisting(external) : await startTestPostgres({ fsync: true });
  log(pg.managed ? `PostgreSQL started on 127.0.0.1:${pg.port} (a throwaway cluster)` : 'PostgreSQL from FLEETKIT_PG_URL');
  const url = await pg.createDatabase();
  return {
    kind,
    spec: url,
    replicas: 2,
    save: async (ctx) => {
      const storage = await PostgresStorage.open(url);
      try {
        await storage.saveSession(ctx);
      } finally {
        await storage.close();
      }
    },
    close: () => pg.close(),
  };
}
