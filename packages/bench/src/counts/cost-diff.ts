/**
 * Where the instructions went between two callgrind profiles of one
 * benchmark: the functions whose cost grew most from base to head, for the
 * "where the instructions went" part of a report.
 */
import { BenchError } from '../errors.js';
import type { CallgrindProfile, FunctionCost } from './callgrind-file.js';

/** One function's cost in base and head, in instructions of each whole profile. */
export interface Gainer {
  /** The function: its name, followed by ` [object]` when base or head has that name in more than one object. */
  readonly name: string;
  /** Its instructions in the base profile (0 if base never ran it). */
  readonly base: number;
  /** Its instructions in the head profile (0 if head never ran it). */
  readonly head: number;
  /** `head − base`. */
  readonly delta: number;
}

/** How many operations (benchmark iterations) each profile counted. */
export interface OpsPerProfile {
  readonly base: number;
  readonly head: number;
}

/** Options of {@link topGainers}. */
export interface GainerOptions {
  /** At most this many rows. @default 8 */
  readonly limit?: number;
  /** Compare self costs, or self plus callees. @default 'self' */
  readonly by?: 'self' | 'inclusive';
  /**
   * Operations of each profile. When the two profiles counted different
   * numbers of operations, raw counts compare unlike things; given this,
   * functions are ranked and kept by their gain per operation instead (the
   * rows still hold raw counts, for {@link formatGainers}).
   */
  readonly ops?: OpsPerProfile;
  /** Only functions whose name passes this test (e.g. JavaScript functions: {@link isJavaScriptFunction}). */
  readonly keep?: (name: string) => boolean;
}

/** A JavaScript function as named from V8's perf map: `name path:line:column`. */
export function isJavaScriptFunction(name: string): boolean {
  return /\S:\d+:\d+$/.test(name);
}

/**
 * The functions that gained instructions from base to head, largest gain
 * first (ties by name, so a report is stable), only those that gained.
 */
export function topGainers(base: CallgrindProfile, head: CallgrindProfile, options: GainerOptions = {}): Gainer[] {
  const limit = options.limit ?? 8;
  if (!Number.isInteger(limit) || limit < 1) throw new BenchError('FK_BENCH_COUNTS', `topGainers: limit must be a positive integer, got ${limit}`);
  const by = options.by ?? 'self';
  const ops = options.ops ?? { base: 1, head: 1 };
  checkOps(ops);
  const rows: Array<Gainer & { readonly gain: number }> = [];
  // Functions are matched by name and object, not by map key: which object's
  // `strlen` gets the plain key depends on what else each process ran.
  const baseFns = byIdentity(base);
  const headFns = byIdentity(head);
  const objectsOf = new Map<string, Set<string | null>>();
  for (const fn of [...baseFns.values(), ...headFns.values()]) {
    const seen = objectsOf.get(fn.name) ?? new Set();
    seen.add(fn.object);
    objectsOf.set(fn.name, seen);
  }
  for (const id of new Set([...baseFns.keys(), ...headFns.keys()])) {
    const fn = headFns.get(id) ?? baseFns.get(id);
    const before = baseFns.get(id)?.[by] ?? 0;
    const after = headFns.get(id)?.[by] ?? 0;
    const gain = after / ops.head - before / ops.base;
    if (fn === undefined || gain <= 0 || (options.keep !== undefined && !options.keep(fn.name))) continue;
    const name = (objectsOf.get(fn.name)?.size ?? 1) > 1 ? `${fn.name} [${fn.object ?? '???'}]` : fn.name;
    rows.push({ name, base: before, head: after, delta: after - before, gain });
  }
  rows.sort((x, y) => y.gain - x.gain || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return rows.slice(0, limit).map(({ name, base: b, head: h, delta }) => ({ name, base: b, head: h, delta }));
}

/**
 * Markdown list lines (joined by newlines), one per row that gains
 * instructions per operation, largest gain first:
 * `  - +1,234 instr/op  Builtins_LoadIC  (5,000 → 6,234)`. Each side's
 * counts are divided by its own operations, since base and head may have
 * measured different numbers of them; a row that only grew because head
 * ran more operations is left out. With no row left, one line says so.
 */
export function formatGainers(rows: readonly Gainer[], opsPerProfile: OpsPerProfile): string {
  checkOps(opsPerProfile);
  const perOp = rows
    .map((r) => {
      const base = r.base / opsPerProfile.base;
      const head = r.head / opsPerProfile.head;
      return { name: r.name, base, head, gain: head - base };
    })
    .filter((r) => r.gain > 0)
    .sort((x, y) => y.gain - x.gain);
  if (perOp.length === 0) return '(no function gained instructions per operation)';
  return perOp.map((r) => `  - +${formatCount(r.gain)} instr/op  ${escapeMarkdown(r.name)}  (${formatCount(r.base)} → ${formatCount(r.head)})`).join('\n');
}

/** A profile's functions by name and object. */
function byIdentity(profile: CallgrindProfile): Map<string, FunctionCost> {
  const out = new Map<string, FunctionCost>();
  for (const fn of profile.functions.values()) out.set(`${fn.name}\u0000${fn.object ?? ''}`, fn);
  return out;
}

function checkOps(ops: OpsPerProfile): void {
  for (const side of ['base', 'head'] as const) {
    const n = ops[side];
    if (!Number.isFinite(n) || n <= 0) throw new BenchError('FK_BENCH_COUNTS', `operations of ${side} must be a positive number, got ${n}`);
  }
}

const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const TENTHS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const SMALL = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });

/** Instructions per operation: whole numbers from 100 up, where a fraction is noise; small counts keep what tells them apart. */
function formatCount(n: number): string {
  const a = Math.abs(n);
  if (a >= 100) return WHOLE.format(n);
  if (a >= 1) return TENTHS.format(n);
  return SMALL.format(n);
}

/**
 * A function name safe in a Markdown list or table cell: backslash-escapes
 * what Markdown would act on — backticks (code spans), pipes (table cells),
 * `*`, `[`, `]`, `<` (HTML, e.g. C++ templates), and `_` where it could open
 * or close emphasis (not inside a word such as `Builtins_LoadIC`).
 */
export function escapeMarkdown(name: string): string {
  return name.replace(/[\\`|*[\]<]/g, '\\$&').replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}
