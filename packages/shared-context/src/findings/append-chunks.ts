/**
 * The chunks of a FindingSet's list of all findings: where findings go that
 * are added past the first CHUNK before anything has read the list.
 *
 * Why: pushing onto one array reallocates it about log1.5(n) times, and past
 * 16,384 items each new backing store is a large object: memory the system
 * maps fresh (a page fault per 4 KB, ~10 µs each on this project's
 * machines), filled by copying pointers to young objects, each of which the
 * garbage collector then has to record. Chunks of CHUNK are ordinary young
 * objects. The first read joins them onto the array in one step (one
 * allocation, one copy); from then on that array is handed out and pushed
 * onto, so a view of it stays live.
 */

export const CHUNK = 4096;

/** Appends `item`, starting a chunk when the last is full; returns the chunks (new when there were none). */
export function pushChunked<T>(chunks: T[][] | undefined, item: T): T[][] {
  if (chunks === undefined) return [[item]];
  const last = chunks[chunks.length - 1] as T[];
  if (last.length < CHUNK) last.push(item);
  else chunks.push([item]);
  return chunks;
}

/** `head` followed by every chunk, as one new array of the exact length. */
export function joinChunks<T>(head: T[], chunks: readonly T[][]): T[] {
  return head.concat(...chunks);
}
