/**
 * Session files changed by other processes (a `fleet import`, another
 * dashboard on the same directory): a watch of the sessions directory and
 * of each repository directory in it, or a poll of the files' stamps where
 * watching fails. A file whose stamp is the one this process wrote last is
 * its own write and is not reported.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { FileStamp } from './file-stamp.js';
import { sameStamp, stampOf } from './file-stamp.js';
import { decodeName } from './names.js';

/** What a change to a session file means. */
export interface ForeignChange {
  readonly sessionId: string;
  readonly deleted: boolean;
}

/** Options of {@link watchSessionFiles}. */
export interface DirectoryWatchOptions {
  /** The stamp this process last wrote to `path`, if any. */
  readonly ownStamp: (path: string) => FileStamp | undefined;
  readonly onChange: (change: ForeignChange) => void;
  /** Poll interval where watching fails, ms. @default 1000 */
  readonly pollMs?: number;
}

const DEBOUNCE_MS = 25;

/** Watches `dir/sessions`; returns a function that stops. */
export async function watchSessionFiles(dir: string, options: DirectoryWatchOptions): Promise<() => void> {
  const root = join(dir, 'sessions');
  await mkdir(root, { recursive: true });
  const timers = new Map<string, NodeJS.Timeout>();
  const seen = new Map<string, FileStamp>();

  const check = async (path: string): Promise<void> => {
    const sessionId = sessionIdOf(path);
    if (sessionId === undefined) return;
    const stamp = await stampOf(path);
    const before = seen.get(path);
    if (stamp === undefined) seen.delete(path);
    else seen.set(path, stamp);
    if (stamp !== undefined && (sameStamp(stamp, options.ownStamp(path)) || sameStamp(stamp, before))) return;
    // A file gone is always told (a second telling of one's own delete is harmless; a missed one serves a deleted session).
    options.onChange({ sessionId, deleted: stamp === undefined });
  };
  let stopped = false;
  const later = (path: string): void => {
    if (stopped) return;
    clearTimeout(timers.get(path));
    timers.set(
      path,
      setTimeout(() => {
        timers.delete(path);
        void check(path);
      }, DEBOUNCE_MS),
    );
  };

  // One watch per directory, not one recursive watch: on Linux, Node's recursive watch follows files by
  // inode and loses a file replaced by rename (every atomic write) after a few writes; a directory's own
  // watch reports each name moved into it.
  const watchers = new Map<string, FSWatcher>();
  // The inode of each repository directory watched: one replaced (removed and made again, or moved over) is another.
  const inodes = new Map<string, number>();
  let poll: NodeJS.Timeout | undefined;
  const stopWatchers = (): void => {
    for (const w of watchers.values()) w.close();
    watchers.clear();
    inodes.clear();
  };
  const startPolling = (): void => {
    stopWatchers();
    if (stopped) return;
    poll ??= setInterval(() => void pollOnce(root, check, seen.keys()), options.pollMs ?? 1000);
    poll.unref();
  };
  const watchDir = (path: string, onName: (name: string) => void): boolean => {
    if (watchers.has(path)) return true;
    try {
      const w = watch(path, (_type, name) => {
        if (typeof name === 'string') onName(name);
      });
      // A watch that fails later gives way to polling, unless it watched a repository directory that is gone.
      w.on('error', () => {
        if (watchers.get(path) !== w) return;
        if (path === root) return startPolling();
        void stat(path).then(
          (st) => (st.isDirectory() ? startPolling() : forgetRepo(path)),
          () => forgetRepo(path),
        );
      });
      watchers.set(path, w);
      return true;
    } catch {
      return false;
    }
  };
  const watchRepo = (repoDir: string, ino: number): boolean => {
    const ok = watchDir(repoDir, (name) => {
      if (name.endsWith('.json')) later(join(repoDir, name));
    });
    if (ok) inodes.set(repoDir, ino);
    return ok;
  };
  // A repository directory gone: its watch closes, and the files seen in it are checked (each reported deleted).
  const forgetRepo = (repoDir: string): void => {
    watchers.get(repoDir)?.close();
    watchers.delete(repoDir);
    inodes.delete(repoDir);
    for (const path of seen.keys()) if (path.startsWith(repoDir + sep)) later(path);
  };
  // A name changed at the top: a repository directory made or replaced (watched, and the files in it checked) or removed.
  const repoChanged = async (repoDir: string): Promise<void> => {
    const st = await stat(repoDir).catch(() => undefined);
    if (stopped) return;
    if (st?.isDirectory() !== true) return forgetRepo(repoDir);
    if (watchers.has(repoDir)) {
      if (inodes.get(repoDir) === st.ino) return;
      forgetRepo(repoDir);
    }
    if (!watchRepo(repoDir, st.ino)) return startPolling();
    for (const name of await readdir(repoDir).catch(() => [] as string[])) if (name.endsWith('.json')) later(join(repoDir, name));
  };

  // The files as they are now are the starting point, not changes (and the ones a directory removed had).
  await pollOnce(root, async (path) => {
    const stamp = await stampOf(path);
    if (stamp !== undefined) seen.set(path, stamp);
  });
  let watching = watchDir(root, (name) => void repoChanged(join(root, name)));
  if (watching) {
    for (const repo of await readdir(root, { withFileTypes: true }).catch(() => [])) {
      const repoDir = join(root, repo.name);
      const st = repo.isDirectory() ? await stat(repoDir).catch(() => undefined) : undefined;
      if (st !== undefined && !watchRepo(repoDir, st.ino)) {
        watching = false;
        break;
      }
    }
  }
  if (!watching) startPolling();
  return () => {
    stopped = true;
    stopWatchers();
    clearInterval(poll);
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  };
}

async function pollOnce(root: string, check: (path: string) => Promise<void>, known: Iterable<string> = []): Promise<void> {
  const listed = new Set<string>();
  for (const repo of await readdir(root).catch(() => [] as string[])) {
    for (const name of await readdir(join(root, repo)).catch(() => [] as string[])) {
      if (name.endsWith('.json')) listed.add(join(root, repo, name));
    }
  }
  // Files seen before and no longer listed were deleted: their check says so.
  for (const path of [...listed, ...[...known].filter((p) => !listed.has(p))]) await check(path);
}

/** The session id of `…/sessions/<repo>/<session>.json`, or undefined for any other path. */
function sessionIdOf(path: string): string | undefined {
  const parts = path.split(sep);
  const file = parts.at(-1);
  if (file === undefined || !file.endsWith('.json') || parts.length < 3) return undefined;
  return decodeName(file.slice(0, -5));
}
