/** Whole-file writes that never leave a partial file, and size-capped reads. */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StorageError, ValidationError } from '../errors.js';

/**
 * Writes `text` to `path` atomically: a temporary file in the same directory,
 * fsync, then rename over the target (rename is atomic within a file system).
 * Concurrent writers each rename a complete file; the last one wins. `text`
 * may come in chunks (a large session), written as they come, so the whole
 * never has to be one string in memory.
 */
export async function writeFileAtomic(path: string, text: string | Iterable<string>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'wx', 0o644);
    if (typeof text === 'string') await handle.writeFile(text, 'utf8');
    else for (const chunk of text) await handle.write(chunk, null, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new StorageError(path, `could not write: ${(err as Error).message}`, { cause: err });
  }
  // Make the rename itself durable; not every platform lets a directory be fsynced.
  try {
    const dir = await open(dirname(path), 'r');
    await dir.sync().catch(() => undefined);
    await dir.close();
  } catch {
    /* best effort */
  }
}

/** Default cap on a file read whole: 512 MiB. */
export const DEFAULT_MAX_READ_BYTES = 512 * 1024 * 1024;

/**
 * Reads and parses a JSON file, refusing files over `maxBytes` before reading
 * them. Returns undefined when the file does not exist; a file that is not
 * JSON gives a {@link ValidationError} naming it.
 */
export async function readJsonFile(path: string, maxBytes = DEFAULT_MAX_READ_BYTES): Promise<unknown> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new StorageError(path, 'not a regular file');
    size = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (err instanceof StorageError) throw err;
    throw new StorageError(path, `could not read: ${(err as Error).message}`, { cause: err });
  }
  if (size > maxBytes) {
    throw new ValidationError([{ code: 'too_big', path: [], message: `file is ${size} bytes, over the limit of ${maxBytes}` }], path);
  }
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StorageError(path, `could not read: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ValidationError([{ code: 'invalid_json', path: [], message: `not valid JSON (${(err as Error).message})` }], path, { cause: err });
  }
}
