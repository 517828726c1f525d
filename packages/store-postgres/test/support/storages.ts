/**
 * Both storages, made the same way for the tests that run on each: a fresh
 * directory for files, a fresh database (on the server the test setup
 * started) for PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextStorage } from '@fleetkit/shared-context';
import type { ContextOptions, SessionStorage } from '@fleetkit/shared-context';
import type { PostgresController } from '@fleetkit/testing-postgres';
import { testPostgres } from '@fleetkit/testing-postgres';
import { PostgresStorage } from '../../src/index.js';

/** The test server, as the global setup describes it. */
export function testServer(): PostgresController {
  return testPostgres();
}

/** A storage under test and how to dispose of it. */
export interface StorageUnderTest {
  readonly storage: SessionStorage;
  /** What `openStorage` takes to open it: its directory or database URL. */
  readonly spec: string;
  /** Another storage object on the same directory or database, as another process would have (closed by dispose). */
  another(): Promise<SessionStorage>;
  dispose(): Promise<void>;
}

export type StorageKind = 'files' | 'postgres';

/** The kinds every contract test runs on. */
export const STORAGE_KINDS: readonly StorageKind[] = ['files', 'postgres'];

/** A fresh, empty storage of `kind`. */
export async function freshStorage(kind: StorageKind, context?: Omit<ContextOptions, 'sessionId' | 'startedAt'>): Promise<StorageUnderTest> {
  const others: SessionStorage[] = [];
  const closeAll = async (): Promise<void> => {
    for (const o of others) await o.close();
  };
  if (kind === 'files') {
    const dir = await mkdtemp(join(tmpdir(), 'fleetkit-contract-'));
    const storage = new ContextStorage(dir, { context });
    return {
      storage,
      spec: dir,
      another: async () => others[others.push(new ContextStorage(dir, { context })) - 1]!,
      dispose: async () => {
        await closeAll();
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const url = await testServer().createDatabase();
  const storage = await PostgresStorage.open(url, { context });
  return {
    storage,
    spec: url,
    another: async () => others[others.push(await PostgresStorage.open(url, { context })) - 1]!,
    dispose: async () => {
      await closeAll();
      await storage.close();
    },
  };
}
