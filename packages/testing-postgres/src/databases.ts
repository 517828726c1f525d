/**
 * Databases on a server: each test file can get an empty one of its own,
 * so files that write can run in parallel on one server.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { errorText, redact } from './messages.js';

// Names that need no quoting anywhere (URLs, SQL, psql), so they are never escaped wrongly.
const DATABASE_NAME = /^[a-z0-9_]{1,63}$/;

/** Creates the database `name` (or `fk_<random hex>`) through `adminUrl` and returns the same URL pointing at it. */
export async function createDatabaseAt(adminUrl: string, name?: string): Promise<string> {
  const database = name ?? `fk_${randomBytes(6).toString('hex')}`;
  if (!DATABASE_NAME.test(database)) {
    throw new Error(`Database name "${database}" is not allowed: use 1 to 63 characters among a-z, 0-9 and _.`);
  }
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    await sql.unsafe(`CREATE DATABASE "${database}"`);
  } catch (error) {
    throw new Error(`CREATE DATABASE ${database} failed on ${redact(adminUrl)}: ${errorText(error)}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
