/**
 * What a `--store` value (or `FLEETKIT_STORE`) names: a PostgreSQL URL opens
 * a {@link PostgresStorage}; anything else is a directory for the file
 * storage. The one place the CLI and the dashboard turn that text into a
 * SessionStorage, so both read it the same way.
 */
import { ContextStorage, StorageError } from '@fleetkit/shared-context';
import type { ContextOptions, SessionStorage } from '@fleetkit/shared-context';
import { isPostgresUrl, redactUrl } from './connection-url.js';
import { PostgresStorage } from './postgres-storage.js';
import type { PostgresStorageOptions } from './postgres-storage.js';

/** Options of {@link openStorage}. */
export interface OpenStorageOptions {
  /** Options given to every Context loaded (clock, health TTL). */
  readonly context?: Omit<ContextOptions, 'sessionId' | 'startedAt'>;
  /** For a database: the pool and timeouts. */
  readonly postgres?: Omit<PostgresStorageOptions, 'context'>;
  /** For a directory: sessions held in memory for changes, and for how long unused (see `ContextStorage`). */
  readonly files?: { readonly maxOpenSessions?: number; readonly openSessionIdleMs?: number };
}

/**
 * The storage `spec` names: `postgres://…` / `postgresql://…`, or a directory.
 * Throws a StorageError for a URL that cannot be used — another scheme
 * (`mysql://…`) included, rather than taking it for a directory name.
 */
export async function openStorage(spec: string, options: OpenStorageOptions = {}): Promise<SessionStorage> {
  if (isPostgresUrl(spec)) return PostgresStorage.open(spec, { ...options.postgres, context: options.context });
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec)?.[1];
  if (scheme !== undefined) throw new StorageError(redactUrl(spec), `"${scheme}://" is not a storage fleetkit knows: give a postgres:// URL or a directory`);
  const files = options.files ?? {};
  return new ContextStorage(spec, {
    context: options.context,
    ...(files.maxOpenSessions === undefined ? {} : { maxOpenSessions: files.maxOpenSessions }),
    ...(files.openSessionIdleMs === undefined ? {} : { openSessionIdleMs: files.openSessionIdleMs }),
  });
}
