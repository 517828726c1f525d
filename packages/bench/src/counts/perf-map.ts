/**
 * Names for JIT code in a callgrind profile. Callgrind knows no symbol for
 * code V8 generated at run time and calls it `0x000000000d051f80`; V8's
 * `--perf-basic-prof` writes `/tmp/perf-<pid>.map`, one line per code
 * object, `<hex start> <hex size> <name>`, e.g. (Node 20)
 *
 *     d051cc0 288 JS:*work /work/main/packages/bench/src/x.js:5:14
 *     18c4680 aa0 Builtin:RecordWriteSaveFP
 *
 * Attribution is best effort: a missing map or an address it does not
 * cover leaves the `0x…` name as it was.
 */
import { readFileSync } from 'node:fs';
import type { CallgrindProfile, FunctionCost } from './callgrind-file.js';

/** The code ranges of one process. */
export interface PerfMap {
  /** How many code ranges the map holds. */
  readonly size: number;
  /** The name V8 gave the code at `address`, as written in the map; undefined if no range holds it. */
  resolve(address: number): string | undefined;
}

interface Entry {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** Line order: code V8 logged later replaced whatever it overlaps. */
  readonly order: number;
}

/**
 * Reads a perf map; a missing or unreadable file gives an empty map, since
 * names only make a report easier to read and never decide a verdict.
 */
export function readPerfMap(path: string): PerfMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return parsePerfMap('');
  }
  return parsePerfMap(text);
}

/** Parses the text of a perf map. Lines that are not `<hex> <hex> <name>` (a last line cut short by a crash) are skipped. */
export function parsePerfMap(text: string): PerfMap {
  const entries: Entry[] = [];
  for (const line of text.split('\n')) {
    const a = line.indexOf(' ');
    const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    if (b < 0) continue;
    const startText = line.slice(0, a);
    const sizeText = line.slice(a + 1, b);
    if (!HEX.test(startText) || !HEX.test(sizeText)) continue;
    const start = Number.parseInt(startText, 16);
    const size = Number.parseInt(sizeText, 16);
    const name = line.slice(b + 1).trimEnd();
    if (size === 0 || name === '') continue;
    entries.push({ start, end: start + size, name, order: entries.length });
  }
  return new RangeMap(paint(entries));
}

const HEX = /^(?:0x)?[0-9a-fA-F]+$/;

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/**
 * Flattens possibly overlapping ranges into disjoint segments, each owned by
 * the latest range that covers it: V8 reuses code space, so where two ranges
 * overlap the older code is gone. A sweep over the range boundaries with the
 * covering ranges in a heap by line order, O(n log n).
 */
function paint(entries: readonly Entry[]): Segment[] {
  const boundaries = [...new Set(entries.flatMap((e) => [e.start, e.end]))].sort((x, y) => x - y);
  const byStart = [...entries].sort((x, y) => x.start - y.start);
  const heap = new LatestFirst();
  const segments: Segment[] = [];
  let next = 0;
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const from = boundaries[i] as number;
    const to = boundaries[i + 1] as number;
    while (next < byStart.length && (byStart[next] as Entry).start <= from) heap.push(byStart[next++] as Entry);
    let top = heap.peek();
    while (top !== undefined && top.end <= from) {
      heap.pop();
      top = heap.peek();
    }
    if (top === undefined) continue;
    const last = segments[segments.length - 1];
    if (last !== undefined && last.end === from && last.name === top.name) segments[segments.length - 1] = { start: last.start, end: to, name: top.name };
    else segments.push({ start: from, end: to, name: top.name });
  }
  return segments;
}

/** A max-heap of entries by line order. */
class LatestFirst {
  private readonly items: Entry[] = [];

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(e: Entry): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as Entry).order >= e.order) break;
      a[i] = a[parent] as Entry;
      i = parent;
    }
    a[i] = e;
  }

  pop(): void {
    const a = this.items;
    const last = a.pop();
    if (last === undefined || a.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && (a[r] as Entry).order > (a[l] as Entry).order ? r : l;
      if ((a[child] as Entry).order <= last.order) break;
      a[i] = a[child] as Entry;
      i = child;
    }
    a[i] = last;
  }
}

/** Disjoint sorted segments, searched by bisection. */
class RangeMap implements PerfMap {
  constructor(private readonly segments: readonly Segment[]) {}

  get size(): number {
    return this.segments.length;
  }

  resolve(address: number): string | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.segments[mid] as Segment;
      if (address < s.start) hi = mid - 1;
      else if (address >= s.end) lo = mid + 1;
      else return s.name;
    }
    return undefined;
  }
}

/**
 * The name of a JS function as two processes would both write it: without
 * the tier marker (`~` interpreted, `^` Sparkplug, `+` Maglev, `*` TurboFan;
 * the same function changes tier between runs) and the `JS:`/`LazyCompile:`
 * kind before it, and with absolute paths cut to start at their last
 * `packages/` or `node_modules/` so a checkout in another directory matches.
 * Other kinds (`Builtin:`, `BytecodeHandler:`, `Eval:`…) keep their kind.
 * An anonymous function becomes `(anonymous) <location>`.
 */
export function normalisePerfName(name: string): string {
  let out = name;
  const kind = /^([A-Za-z]+):[~^+*]?/.exec(out);
  if (kind !== null) {
    const label = kind[1] ?? '';
    const rest = out.slice(kind[0].length);
    if (!JS_KINDS.has(label)) out = `${label}:${rest}`;
    else out = rest.startsWith(' ') || rest === '' ? `(anonymous)${rest}` : rest;
  }
  return out.replace(CHECKOUT_PREFIX, '$1');
}

/** Kinds V8 (and Node before 20's `JS:`) gives compiled JS functions. */
const JS_KINDS = new Set(['JS', 'LazyCompile', 'Function']);

/** An absolute path or file URL up to (not including) its last `packages/` or `node_modules/`. */
const CHECKOUT_PREFIX = /(^|\s)(?:file:\/\/)?\/\S*\/(?=(?:packages|node_modules)\/)/g;

/** `0x…` as callgrind names code without a symbol, with callgrind's `'N` recursion suffix. */
const UNNAMED = /^0x([0-9a-fA-F]+)('\d+)?$/;

/**
 * The profile with each `0x…` function of unknown object (JIT code) named
 * from the perf map (normalised by {@link normalisePerfName}, recursion
 * suffix kept), and the costs of functions that end up with the same name —
 * the tiers of one JS function, or code V8 compiled twice — summed. Self
 * costs sum exactly; inclusive costs count twice what one tier spent in a
 * call to another (an on-stack replacement). Named functions, and `0x…`
 * offsets inside an ELF object (PLT stubs), are kept as they are.
 */
export function resolveNames(profile: CallgrindProfile, map: PerfMap): CallgrindProfile {
  const functions = new Map<string, FunctionCost>();
  const firstObjectOf = new Map<string, string | null>();
  for (const fn of profile.functions.values()) {
    // Only code outside any ELF object is JIT code: a `0x…` in an object (a PLT stub) is an offset in that object, not an address.
    const m = fn.object === null ? UNNAMED.exec(fn.name) : null;
    const resolved = m === null ? undefined : map.resolve(Number.parseInt(m[1] as string, 16));
    const name = resolved === undefined ? fn.name : `${normalisePerfName(resolved)}${m?.[2] ?? ''}`;
    // Same keying as the parser: a name's first object gets the plain key.
    let key = name;
    const first = firstObjectOf.get(name);
    if (first === undefined) firstObjectOf.set(name, fn.object);
    else if (first !== fn.object) key = `${name} [${fn.object ?? '???'}]`;
    const seen = functions.get(key);
    functions.set(key, seen === undefined ? { ...fn, name } : { name, object: fn.object, self: seen.self + fn.self, inclusive: seen.inclusive + fn.inclusive });
  }
  return { ...profile, functions };
}
