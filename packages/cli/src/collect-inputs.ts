/**
 * Expands the arguments of `fleet import` into files: files as given,
 * directories walked recursively (following symlinks, but never into a
 * directory already being walked), globs matched with tinyglobby. Whatever
 * cannot be used becomes a problem with a reason; nothing throws.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** A path that could not be used as input, and why. */
export interface InputProblem {
  readonly path: string;
  readonly reason: string;
}

/** The files to import and the problems met on the way. */
export interface CollectedInputs {
  readonly files: string[];
  readonly problems: InputProblem[];
}

/** Collects the input files of `args`, relative to `cwd`. Files are listed once each, in argument order. */
export async function collectInputs(args: readonly string[], cwd: string): Promise<CollectedInputs> {
  const out: CollectedInputs = { files: [], problems: [] };
  const seen = new Set<string>();
  const addFile = (f: string): void => {
    if (!seen.has(f)) {
      seen.add(f);
      out.files.push(f);
    }
  };
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    const s = await stat(abs).catch((err: NodeJS.ErrnoException) => err);
    if (!(s instanceof Error)) {
      if (s.isDirectory()) await walk(abs, [], out, addFile);
      else addFile(abs);
      continue;
    }
    if (s.code === 'ENOENT' && isDynamicPattern(arg)) {
      const matches = await glob(arg, { cwd, absolute: true, onlyFiles: true, followSymbolicLinks: false, dot: false });
      if (matches.length === 0) out.problems.push({ path: arg, reason: 'the pattern matches no file' });
      for (const m of matches.sort()) addFile(path.resolve(m));
      continue;
    }
    out.problems.push({ path: arg, reason: describeError(s) });
  }
  return out;
}

/** Walks `dir`; `ancestors` are the real paths of the directories above it, to see loops. */
async function walk(dir: string, ancestors: readonly string[], out: CollectedInputs, addFile: (f: string) => void): Promise<void> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (err) {
    out.problems.push({ path: dir, reason: describeError(err as NodeJS.ErrnoException) });
    return;
  }
  if (ancestors.includes(real)) {
    out.problems.push({ path: dir, reason: `directory loop: this is a link back to ${real}; not walked again` });
    return;
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    out.problems.push({ path: dir, reason: describeError(err as NodeJS.ErrnoException) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      await walk(p, [...ancestors, real], out, addFile);
    } else if (e.isSymbolicLink()) {
      const s = await stat(p).catch((err: NodeJS.ErrnoException) => err);
      if (s instanceof Error) out.problems.push({ path: p, reason: describeError(s) });
      else if (s.isDirectory()) await walk(p, [...ancestors, real], out, addFile);
      else addFile(p);
    } else {
      // Regular or not: a FIFO or socket is listed and then rejected as "not a regular file" without being opened.
      addFile(p);
    }
  }
}

function describeError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory (or a dangling symlink)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symlink loop: too many levels of symbolic links';
    default:
      return err.message;
  }
}
