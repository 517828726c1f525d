/**
 * How the harness's failures read. A test run that cannot get a server stops
 * every test, so its message has to say what went wrong and how to fix it,
 * without burying that under pages of output or showing a password.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** The remedy that ends every "there is no usable server" message. */
export const INSTALL_HINT =
  "To fix it: install Debian's postgresql package (apt-get install -y postgresql) or set FLEETKIT_PG_URL to a server to use.";

/** The last `lines` lines of a command's output: the error is at the end. */
export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The end of a log file, or why there is none to show. */
export async function readTail(path: string): Promise<string> {
  try {
    return tail(await readFile(path, 'utf8'));
  } catch {
    return existsSync(path) ? '(unreadable)' : '(no server log)';
  }
}

/** The URL with its password replaced by `***`. */
export function redact(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^@/]*@/, '//$1:***@');
}

/** An error's message, with the SQLSTATE or errno code postgres.js adds when there is one. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
