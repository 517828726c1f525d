/** Importing one file: refused by size before it is read, then read as text and imported. */
import { readFile, stat } from 'node:fs/promises';
import { importFindings } from './import-findings.js';
import type { ImportOptions, ImportResult } from './types.js';
import { DEFAULT_MAX_BYTES } from './types.js';

/** What {@link importFindingsFile} returns: the import result and the file's size. */
export interface FileImportResult extends ImportResult {
  /** Size of the file in bytes (0 when it could not be examined). */
  readonly bytes: number;
}

/**
 * Imports the findings of one file. A file larger than `maxBytes` is refused
 * from its size alone, before any of it is read; a missing, unreadable or
 * non-regular file is rejected with the reason. Never throws.
 */
export async function importFindingsFile(path: string, options: ImportOptions = {}): Promise<FileImportResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return { findings: [], rejected: [{ path: [], code: 'not_a_file', reason: 'not a regular file' }], format: undefined, bytes: 0 };
    size = s.size;
  } catch (err) {
    return { findings: [], rejected: [{ path: [], code: 'unreadable', reason: `cannot read: ${errorText(err)}` }], format: undefined, bytes: 0 };
  }
  if (size > maxBytes) {
    return { findings: [], rejected: [{ path: [], code: 'too_large', reason: `the file is ${size} bytes, more than the limit of ${maxBytes}; it was not read` }], format: undefined, bytes: size };
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { findings: [], rejected: [{ path: [], code: 'unreadable', reason: `cannot read: ${errorText(err)}` }], format: undefined, bytes: size };
  }
  return { ...importFindings(text, options), bytes: size };
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const known: Record<string, string> = { ENOENT: 'no such file (a dangling symlink?)', EACCES: 'permission denied', EISDIR: 'is a directory', ELOOP: 'too many levels of symbolic links' };
    return (code !== undefined ? known[code] : undefined) ?? err.message;
  }
  return String(err);
}
