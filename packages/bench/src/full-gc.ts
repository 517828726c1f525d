/** A full garbage collection on demand, whether or not node was started with --expose-gc. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * Returns a function that runs a full, synchronous garbage collection. The
 * command line runs without --expose-gc (users start it); V8 exposes `gc`
 * to contexts created after the flag is set, so a fresh vm context hands it
 * over.
 */
export function fullGc(): () => void {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return (collect = exposed);
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
  return collect;
}
