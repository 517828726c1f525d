/**
 * The database URL a user gives (`--store postgres://…`, `FLEETKIT_STORE`):
 * checked before any connection is tried, and shown only without its
 * password (a URL ends up in logs, error messages and metrics).
 */
import { StorageError } from '@fleetkit/shared-context';

/** A checked database URL. */
export interface ConnectionUrl {
  /** The URL as given (with its password): only for the client. */
  readonly url: string;
  /** The URL without its password, for messages. */
  readonly redacted: string;
}

/** True when `text` names a PostgreSQL database (`postgres://` or `postgresql://`). */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(text);
}

/**
 * True when an `@` follows a `/` after `//`: a password (or user name) with an
 * unencoded `/`, which URL parsers take for the start of the path — and which
 * would then be shown as a path.
 */
function slashBeforeAt(text: string): boolean {
  const start = text.indexOf('//');
  if (start < 0) return false;
  const rest = text.slice(start + 2);
  const slash = rest.search(/[/?#]/);
  return slash >= 0 && rest.lastIndexOf('@') > slash;
}

/** The URL with its password replaced by `***`; never throws, whatever the text. */
export function redactUrl(text: string): string {
  // Everything up to the last `@` may be credentials when a `/` comes before it.
  if (slashBeforeAt(text)) return text.replace(/\/\/([^/@:]*).*@/, (_m, user: string) => `//${user}:***@`);
  try {
    const u = new URL(text);
    if (u.password !== '') u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    // Not a URL: cut anything between `//user:` and the last `@`, where a password would be.
    return text.replace(/\/\/([^/@:]*):.*@/, '//$1:***@');
  }
}

/** Checks a PostgreSQL URL; a malformed one is a {@link StorageError} naming what is wrong (without the password). */
export function parseConnectionUrl(text: string): ConnectionUrl {
  const redacted = redactUrl(text);
  const bad = (why: string): StorageError => new StorageError(redacted, `not a usable PostgreSQL URL: ${why} (expected postgres://user:password@host:port/database)`);
  if (!isPostgresUrl(text)) throw bad('it must start with postgres:// or postgresql://');
  if (slashBeforeAt(text)) throw bad('a "/", "?" or "#" in the user name or password must be percent-encoded (%2F, %3F, %23)');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad('it is malformed');
  }
  if (u.hostname === '' && !u.searchParams.has('host')) throw bad('it names no host');
  if (u.port !== '' && !(Number(u.port) >= 1 && Number(u.port) <= 65535)) throw bad(`port "${u.port}" is not a port number`);
  if (u.pathname.length <= 1) throw bad('it names no database (add /DATABASE after the host)');
  return { url: text, redacted };
}
