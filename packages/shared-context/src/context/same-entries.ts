/** Equality of a session's small maps (bots, executions, shared data), for `Context.syncState`. */

/** True when both maps hold the same keys in the same order with equal (JSON) values. */
export function sameEntries<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>): boolean {
  if (a.size !== b.size) return false;
  const bk = [...b.keys()];
  let i = 0;
  for (const [k, v] of a) {
    if (bk[i++] !== k) return false;
    const w = b.get(k);
    if (v !== w && JSON.stringify(v) !== JSON.stringify(w)) return false;
  }
  return true;
}
