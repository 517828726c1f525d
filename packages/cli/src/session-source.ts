/**
 * Where `fleet report|gate|health` read sessions: session files (`--session
 * FILE`, the default), or a storage (`--store URL|DIR`, or FLEETKIT_STORE so
 * a database password stays out of the command line), where `--session` and
 * `--baseline` are session ids. Commands see only the library's
 * SessionStorage interface, whichever storage it is.
 */
import type { Context, SessionStorage } from '@fleetkit/shared-context';
import { NotFoundError, StorageError, StorageUnavailableError } from '@fleetkit/shared-context';
import { CliError } from './errors.js';
import type { Io } from './output.js';
import { checkBaseline, readSession } from './session-file.js';

/** The storage `--store` names, else FLEETKIT_STORE; undefined for neither. */
export function storeSpec(store: string | undefined, io: Io): string | undefined {
  const spec = store ?? io.env.FLEETKIT_STORE;
  return spec === undefined || spec === '' ? undefined : spec;
}

/** Opens a storage; any failure (a malformed URL, a refused login, an unreachable server) is a CliError (exit 2) that never shows a password. */
export async function openCliStorage(spec: string): Promise<SessionStorage> {
  try {
    // Loaded only when a storage is used: the PostgreSQL client is not part of a command that reads files.
    const { openStorage } = await import('@fleetkit/store-postgres');
    return await openStorage(spec, { postgres: { maxConnections: 2 } });
  } catch (err) {
    if (err instanceof StorageError || err instanceof StorageUnavailableError) throw new CliError('FK_CLI_INPUT', `cannot use storage: ${err.message}`, { cause: err });
    throw err;
  }
}

/** A session and, when asked, its baseline, read from files or from a storage. */
export interface LoadedSessions {
  readonly ctx: Context;
  readonly base: Context | undefined;
}

/** Reads `--session` (and `--baseline`) from the storage named by `--store`/FLEETKIT_STORE, or from files. */
export async function loadSessions(values: { readonly session?: string; readonly baseline?: string; readonly store?: string }, io: Io): Promise<LoadedSessions> {
  const spec = storeSpec(values.store, io);
  const session = values.session as string;
  if (spec === undefined) {
    const ctx = await readSession(session);
    return { ctx, base: values.baseline === undefined ? undefined : checkBaseline(await baselineFrom(() => readSession(values.baseline!)), values.baseline, ctx) };
  }
  const storage = await openCliStorage(spec);
  try {
    const ctx = await loadStored(storage, session);
    const base = values.baseline === undefined ? undefined : checkBaseline(await baselineFrom(() => loadStored(storage, values.baseline!)), values.baseline, ctx);
    return { ctx, base };
  } finally {
    await storage.close();
  }
}

async function baselineFrom(read: () => Promise<Context>): Promise<Context> {
  return read().catch((err: unknown) => {
    if (err instanceof CliError) throw new CliError(err.code, `baseline: ${err.message}`, { cause: err });
    throw err;
  });
}

async function loadStored(storage: SessionStorage, sessionId: string): Promise<Context> {
  try {
    return await storage.loadSession(sessionId);
  } catch (err) {
    if (err instanceof NotFoundError) throw new CliError('FK_CLI_INPUT', `no session "${sessionId}" in ${storage.location}`, { cause: err });
    if (err instanceof StorageError || err instanceof StorageUnavailableError) throw new CliError('FK_CLI_INPUT', `cannot read session "${sessionId}": ${err.message}`, { cause: err });
    throw err;
  }
}
