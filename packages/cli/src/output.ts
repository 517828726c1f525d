/**
 * Where the CLI writes and whether it may use colour: never when `NO_COLOR`
 * is set to anything non-empty, else when `FORCE_COLOR` asks for it, else
 * only on a terminal.
 */
import type { Writable } from 'node:stream';

/** The streams and environment a command writes to. */
export interface Io {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Text styles; each is the identity when colour is off. */
export interface Styles {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
}

/** True when colour may be written to `stream`. */
export function colorEnabled(stream: { isTTY?: boolean }, env: Io['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return stream.isTTY === true;
}

const wrap = (on: boolean, open: number, close: number) => (s: string): string => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);

/** Styles for `stream`. */
export function stylesFor(stream: { isTTY?: boolean }, env: Io['env']): Styles {
  const on = colorEnabled(stream, env);
  return { bold: wrap(on, 1, 22), dim: wrap(on, 2, 22), red: wrap(on, 31, 39), green: wrap(on, 32, 39), yellow: wrap(on, 33, 39) };
}

/** Writes one line to a stream. */
export function line(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
