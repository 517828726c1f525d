/**
 * The PostgreSQL server programs and the user they run as. The tests use the
 * distribution's binaries rather than a download, and when the tests run as
 * root (containers, CI) the server runs as `postgres`, since it refuses root.
 */
import { constants as fsConstants } from 'node:fs';
import { access, chmod, chown, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { INSTALL_HINT, tail } from './messages.js';
import { runCommand } from './processes.js';

/** The directory of initdb, pg_ctl and postgres: FLEETKIT_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin, else PATH. */
export async function findBinDir(): Promise<string> {
  const fromEnv = process.env['FLEETKIT_PG_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (await hasBinaries(fromEnv)) return fromEnv;
    throw new Error(`FLEETKIT_PG_BIN=${fromEnv} does not contain executable initdb and pg_ctl. ${INSTALL_HINT}`);
  }
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const candidates = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join('/usr/lib/postgresql', v, 'bin'));
  for (const dir of [...candidates, ...(process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '')]) {
    if (await hasBinaries(dir)) return dir;
  }
  throw new Error(
    `No PostgreSQL server binaries found (initdb and pg_ctl, looked in FLEETKIT_PG_BIN, /usr/lib/postgresql/*/bin and PATH). ${INSTALL_HINT}`,
  );
}

async function hasBinaries(dir: string): Promise<boolean> {
  try {
    await Promise.all(['initdb', 'pg_ctl', 'postgres'].map((b) => access(join(dir, b), fsConstants.X_OK)));
    return true;
  } catch {
    return false;
  }
}

let postgresIds: Promise<{ uid: number; gid: number }> | undefined;

// Looked up once: every cluster of the run needs the same ids.
function postgresUser(): Promise<{ uid: number; gid: number }> {
  postgresIds ??= (async () => {
    const [uid, gid] = await Promise.all([runCommand('id', ['-u', 'postgres']), runCommand('id', ['-g', 'postgres'])]);
    if (!uid.ok || !gid.ok) {
      throw new Error(
        `The tests run as root, and PostgreSQL refuses to run as root, but there is no "postgres" user to run it as.\n${tail(uid.output)}\n${INSTALL_HINT}`,
      );
    }
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  })();
  return postgresIds;
}

/** Gives `path` to the `postgres` user, so the server running as that user can read it. */
export async function chownToPostgres(path: string): Promise<void> {
  const { uid, gid } = await postgresUser();
  await chown(path, uid, gid);
}

/** Gives the directory to the `postgres` user alone: initdb and the server want their directories private. */
export async function handToPostgresUser(dir: string): Promise<void> {
  await chownToPostgres(dir);
  await chmod(dir, 0o700);
}
