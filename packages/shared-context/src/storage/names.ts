/**
 * File names for repo and session names. A name comes from outside (a CLI
 * flag, an HTTP path), so it is encoded, never trusted: the encoded form has
 * no separator, no NUL and is never `.` or `..`, so it cannot leave its
 * directory whatever the input.
 */
import { ValidationError } from '../errors.js';

const MAX_NAME = 200;

/** Encodes a repo or session name as a single safe path segment. Throws for empty or over-long names. */
export function encodeName(kind: 'repo' | 'session', name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
    throw new ValidationError([{ code: 'invalid_name', path: [kind], message: `must be 1 to ${MAX_NAME} characters` }], 'storage');
  }
  // encodeURIComponent leaves `.`, `*`, `'`, `(`, `)`, `!` and `~`; dots are
  // encoded too so that `.` and `..` (and hidden files) cannot be produced.
  return encodeURIComponent(name).replace(/[.*'()!~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The name a file name was encoded from, or undefined for a name we did not write. */
export function decodeName(encoded: string): string | undefined {
  try {
    const name = decodeURIComponent(encoded);
    return encodeName('repo', name) === encoded ? name : undefined;
  } catch {
    return undefined;
  }
}
