/**
 * What a database failure means to a caller, as the library's errors: a
 * problem that retrying will not fix (a refused login, a missing database, a
 * newer schema) is a StorageError; a database that is down, restarting or
 * unreachable is a StorageUnavailableError (the dashboard answers 503 with
 * Retry-After). Messages name the database by its URL without the password.
 */
import { FleetError, StorageError, StorageUnavailableError } from '@fleetkit/shared-context';

interface DbErrorShape {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly errno?: unknown;
}

// SQLSTATE classes and codes that mean "not now" rather than "not like this".
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03', '58030']);

// Node's and postgres.js's own codes for a connection that failed or broke.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
]);

const REFUSED: Readonly<Record<string, string>> = {
  '28P01': 'the database refused the login: wrong user name or password',
  '28000': 'the database refused the login: this user may not connect (pg_hba.conf)',
  '3D000': 'the database does not exist (create it, or fix the name in the URL)',
  '42501': 'the database user lacks a privilege fleetkit needs (creating tables on first start, then reading and writing them)',
  ENOTFOUND: 'the host name does not resolve',
};

/** The library error for `err`, thrown while using the database at `location` (a URL without password). */
export function storageErrorOf(err: unknown, location: string): FleetError {
  if (err instanceof FleetError) return err;
  const e = (err ?? {}) as DbErrorShape;
  const code = typeof e.code === 'string' ? e.code : '';
  const detail = typeof e.message === 'string' ? e.message : String(err);
  const refused = REFUSED[code];
  if (refused !== undefined) return new StorageError(location, refused, { cause: err });
  if (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08')) {
    return new StorageUnavailableError(location, `the database is unavailable (${code}: ${detail})`, { cause: err });
  }
  return new StorageError(location, `the database failed: ${code === '' ? '' : `${code}: `}${detail}`, { cause: err });
}
