/**
 * A file's stamp (inode, mtime, size): how the file storage tells its own
 * writes from another process's without reading the file.
 */
import { stat } from 'node:fs/promises';

/** Identity and version of a file as the file system reports it. */
export interface FileStamp {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly size: number;
}

/** The file's stamp, or undefined when there is no such file. */
export async function stampOf(path: string): Promise<FileStamp | undefined> {
  const st = await stat(path).catch(() => undefined);
  return st === undefined || !st.isFile() ? undefined : { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size };
}

/** True when both are stamps of the same file version. */
export const sameStamp = (a: FileStamp | undefined, b: FileStamp | undefined): boolean =>
  a !== undefined && b !== undefined && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
