/** Self time per function, and per package, from a V8 `.cpuprofile` (`node --cpu-prof`). */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

/** The parts of a `.cpuprofile` read here. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  /** µs before each sample. */
  readonly timeDeltas: readonly number[];
}

/** A function (or a package) and its self time. */
export interface SelfTime {
  readonly name: string;
  readonly selfMs: number;
  /** Share of the profile's whole time, idle included. */
  readonly share: number;
}

/** Where a script comes from: `node:` built-ins, a dependency (`execa`), a workspace package (`@fleetkit/runner`), or V8's own categories. */
export function packageOf(url: string): string {
  if (url === '') return '(V8: program, GC, idle, native)';
  if (url.startsWith('node:')) return 'node: built-ins';
  const m = /node_modules\/(@[^/]+\/[^/]+|[^/]+)\/(?!.*node_modules\/)/.exec(url);
  if (m !== null) return m[1]!;
  const w = /\/packages\/([^/]+)\//.exec(url);
  return w !== null ? `@fleetkit/${w[1]}` : url;
}

/** The `top` functions by self time, and self time per package (see {@link packageOf}), largest first. */
export function selfTimes(p: CpuProfile, top = 15): { total: number; functions: SelfTime[]; packages: SelfTime[] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const perNode = new Map<number, number>();
  let totalUs = 0;
  p.samples.forEach((id, i) => {
    // The delta after a sample is the time spent in it (as Chrome DevTools counts).
    const us = p.timeDeltas[i + 1] ?? 0;
    perNode.set(id, (perNode.get(id) ?? 0) + us);
    totalUs += us;
  });
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of perNode) {
    const f = byId.get(id)?.callFrame;
    if (f === undefined) continue;
    const file = f.url.replace(/^file:\/\//, '');
    // V8's own entries ((garbage collector), (idle), …) have no script; natives may not even have a name.
    const key = f.url === '' ? f.functionName || '(native, unnamed)' : `${f.functionName || '(anonymous)'} ${shortPath(file)}:${f.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = packageOf(file);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const rank = (m: Map<string, number>, n: number): SelfTime[] =>
    [...m]
      .filter(([, us]) => us > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: totalUs === 0 ? 0 : us / totalUs }));
  return { total: totalUs / 1000, functions: rank(fns, top), packages: rank(pkgs, 12) };
}

function shortPath(file: string): string {
  const i = file.lastIndexOf('node_modules/');
  if (i >= 0) return file.slice(i + 'node_modules/'.length);
  const w = file.indexOf('/packages/');
  return w >= 0 ? file.slice(w + 1) : file;
}
