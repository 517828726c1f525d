/**
 * Session files changed by other processes (a `fleet import`, another
 * dashboard on the same directory): a recursive watch of the sessions
 * directory, or a poll of the files' stamps where the platform has no
 * recursive watch. A file whose stamp is the one this process wrote last is
 * its own write and is not reported.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
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
  /** Poll interval where there is no recursive watch, ms. @default 1000 */
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
  const later = (path: string): void => {
    clearTimeout(timers.get(path));
    timers.set(
      path,
      setTimeout(() => {
        timers.delete(path);
        void check(path);
      }, DEBOUNCE_MS),
    );
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(root, { recursive: true }, (_type, name) => {
      if (typeof name === 'string' && name.endsWith('.json')) later(join(root, name));
    });
  } catch {
    watcher = undefined;
  }
  let poll: NodeJS.Timeout | undefined;
  const startPolling = (): void => {
    poll ??= setInterval(() => void pollOnce(root, check, seen.keys()), options.pollMs ?? 1000);
    poll.unref();
  };
  if (watcher === undefined) {
    // The files as they are now are the starting point, not changes.
    await pollOnce(root, async (path) => {
      const stamp = await stampOf(path);
      if (stamp !== undefined) seen.set(path, stamp);
    });
    startPolling();
  }
  // A watcher that fails later (the directory removed and made again) gives way to polling.
  watcher?.on('error', () => {
    watcher?.close();
    watcher = undefined;
    startPolling();
  });
  return () => {
    watcher?.close();
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
