/**
 * The dependency graph of a fleet as indices into its bot list: a stable
 * dependency order, and the cycles that prevent one. `deps[i]` lists the
 * bots bot `i` depends on (no self-loops: those are reported on their own).
 */

/**
 * A dependency order of the bots that keeps file order wherever it can: at
 * each step the earliest bot (by index) whose dependencies are all placed
 * comes next, so a bot moves only to come after its dependencies. Bots on or
 * behind a cycle are left out; with no cycle every bot is in the result.
 */
export function dependencyOrder(deps: readonly (readonly number[])[]): number[] {
  const n = deps.length;
  const waiting = deps.map((d) => new Set(d).size);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  deps.forEach((d, i) => {
    for (const dep of new Set(d)) dependents[dep]?.push(i);
  });
  // Ready bots, kept sorted by index descending so the earliest pops off the end.
  const ready: number[] = [];
  const insert = (i: number): void => {
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ready[mid] as number) > i) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, i);
  };
  for (let i = n - 1; i >= 0; i--) if (waiting[i] === 0) ready.push(i);
  const order: number[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(next);
    for (const d of dependents[next] ?? []) {
      const left = (waiting[d] as number) - 1;
      waiting[d] = left;
      if (left === 0) insert(d);
    }
  }
  return order;
}

/**
 * Dependency cycles, each once: for every bot on a cycle, in index order,
 * the shortest cycle through it unless a cycle already reported covers it.
 * Each cycle starts at its earliest bot and follows `deps` (`[a, b, c]`: a
 * depends on b, b on c, c on a); the list is sorted by that first bot.
 */
export function findCycles(deps: readonly (readonly number[])[]): number[][] {
  const placed = new Set(dependencyOrder(deps));
  // Bots the order could not place are on a cycle or depend on one; only the former have a cycle through them.
  const stuck = deps.map((_, i) => i).filter((i) => !placed.has(i));
  const covered = new Set<number>();
  const cycles: number[][] = [];
  for (const start of stuck) {
    if (covered.has(start)) continue;
    const cycle = shortestCycleThrough(start, deps, placed);
    if (cycle === undefined) continue;
    for (const i of cycle) covered.add(i);
    const first = cycle.indexOf(Math.min(...cycle));
    cycles.push([...cycle.slice(first), ...cycle.slice(0, first)]);
  }
  return cycles.sort((a, b) => (a[0] as number) - (b[0] as number));
}

/** Breadth-first from `start` along dependencies, avoiding placed bots: the shortest path back to `start`. */
function shortestCycleThrough(start: number, deps: readonly (readonly number[])[], placed: ReadonlySet<number>): number[] | undefined {
  const parent = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head] as number;
    for (const dep of deps[at] ?? []) {
      if (dep === start) {
        const cycle = [at];
        for (let p = parent.get(at); p !== undefined; p = parent.get(p)) cycle.push(p);
        return cycle.reverse();
      }
      if (placed.has(dep) || parent.has(dep) || dep === at) continue;
      parent.set(dep, at);
      queue.push(dep);
    }
  }
  return undefined;
}
