/**
 * The callgrind reader, perf-map naming and cost diff, on files callgrind
 * writes here and now: callgrind_annotate's reading of the same files is the
 * known answer. Needs valgrind (scripts/setup.sh installs it); without it the
 * suite fails rather than skips.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallgrindProfile, FunctionCost } from '../src/counts/callgrind-file.js';
import { parseCallgrind, readCallgrindFile } from '../src/counts/callgrind-file.js';
import { escapeMarkdown, formatGainers, topGainers } from '../src/counts/cost-diff.js';
import { normalisePerfName, parsePerfMap, readPerfMap, resolveNames } from '../src/counts/perf-map.js';
import type { PerfMap } from '../src/counts/perf-map.js';
import { BenchError } from '../src/errors.js';
import type { Annotation, CallgrindRun } from './support/callgrind.js';
import { annotate, requireValgrind, runCallgrind } from './support/callgrind.js';

const BENCH_PACKAGE_JSON = fileURLToPath(new URL('../package.json', import.meta.url));

/** The loop both scripts count: about a dozen instructions an iteration once optimised. */
const WORK = 'function work(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s; }';

/**
 * Two client-request dumps of the same loop, 100,000 and 200,000 iterations,
 * after a warm-up and `work` optimised on demand, so both regions run the
 * same machine code.
 */
const REGIONS = `
const { createRequire } = require('node:module');
const { InstrumentHooks: hooks } = createRequire(${JSON.stringify(BENCH_PACKAGE_JSON)})('@codspeed/core');
${WORK}
let sink = 0;
%PrepareFunctionForOptimization(work);
for (let k = 0; k < 20; k++) sink += work(100000);
// Optimised now, on this thread: left to a background compile, a loaded machine (valgrind runs
// one thread at a time) could start the regions while work still runs in the interpreter.
%OptimizeFunctionOnNextCall(work);
sink += work(10);
function region(name, n) {
  const rc = [hooks.startBenchmark(), (sink += work(n), 0), hooks.stopBenchmark(), hooks.setExecutedBenchmark(process.pid, name)];
  if (rc.some((c) => c !== 0)) throw new Error('client request failed: ' + rc);
}
region('case-a', 100000);
region('case-b', 200000);
process.stdout.write(JSON.stringify({ pid: process.pid, sink }));
`;

let dir: string;
let whole: CallgrindRun;
let regions: CallgrindRun;
/** The perf map of the regions run, copied out of /tmp. */
let regionsMapFile: string;
let profile: CallgrindProfile;
let caseA: CallgrindProfile;
let caseB: CallgrindProfile;
const perfMapsToRemove: string[] = [];

beforeAll(async () => {
  requireValgrind();
  dir = mkdtempSync(join(tmpdir(), 'fleetkit-callgrind-test-'));
  writeFileSync(join(dir, 'regions.cjs'), REGIONS);
  // Two valgrind runs of ~5 s each, side by side.
  [whole, regions] = await Promise.all([
    runCallgrind(dir, [], ['-e', `${WORK} let t = 0; for (let k = 0; k < 50; k++) t += work(1e4); if (t < 0) console.log(t);`]),
    runCallgrind(dir, ['--instr-atstart=no'], ['--allow-natives-syntax', '--perf-basic-prof', 'regions.cjs']),
  ]);
  const map = `/tmp/perf-${regions.pid}.map`;
  perfMapsToRemove.push(map);
  regionsMapFile = join(dir, 'regions.map');
  copyFileSync(map, regionsMapFile);
  rmSync(map, { force: true });
  profile = readCallgrindFile(whole.files[0] as string);
  caseA = readCallgrindFile(regions.files[0] as string);
  caseB = readCallgrindFile(regions.files[1] as string);
}, 120_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  for (const map of perfMapsToRemove) rmSync(map, { force: true });
});

const namesOf = (p: CallgrindProfile): Set<string> => new Set([...p.functions.values()].map((f) => f.name));

/** callgrind_annotate's self costs of the whole-program profile (it takes a second or two: once). */
let selfAnnotation: Annotation | undefined;
const annotateSelf = (): Annotation => (selfAnnotation ??= annotate(profile.file, namesOf(profile), false));

/** A function's cost summed over the objects that have a function of that name. */
function costOf(p: CallgrindProfile, name: string, by: 'self' | 'inclusive'): number {
  let sum = 0;
  for (const f of p.functions.values()) if (f.name === name) sum += f[by];
  return sum;
}

/** The message of what `f` throws, which must be a FK_BENCH_COUNTS error. */
function countsError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(BenchError);
    expect((err as BenchError).code).toBe('FK_BENCH_COUNTS');
    return (err as BenchError).message;
  }
  throw new Error('expected a FK_BENCH_COUNTS error, nothing was thrown');
}

describe('parseCallgrind on a whole-program profile', () => {
  it('reads the header', () => {
    expect(whole.files).toHaveLength(1);
    expect(profile.file).toBe(whole.files[0]);
    expect(profile.pid).toBe(whole.pid);
    expect(profile.trigger).toBeNull();
  });

  it("totals as callgrind_annotate's PROGRAM TOTALS, and the self costs add up to it", () => {
    const known = annotateSelf();
    expect(profile.totalIr).toBe(known.totalIr);
    expect(profile.totalIr).toBeGreaterThan(10_000_000);
    let sum = 0;
    for (const f of profile.functions.values()) sum += f.self;
    expect(sum).toBe(profile.totalIr);
  });

  it("gives the ten costliest functions callgrind_annotate's self costs", () => {
    const known = annotateSelf();
    const top = [...known.byName].sort((a, b) => b[1] - a[1]).slice(0, 10);
    expect(top).toHaveLength(10);
    for (const [name, ir] of top) expect({ name, ir: costOf(profile, name, 'self') }).toEqual({ name, ir });
    // And every other function too: nothing is lost or double-counted.
    const mismatched = [...known.byName].filter(([name, ir]) => costOf(profile, name, 'self') !== ir);
    expect(mismatched).toEqual([]);
  });

  it("gives main callgrind_annotate's inclusive cost", () => {
    // callgrind_annotate --inclusive=yes reports a called function's calls into it; for
    // main, called once and never recursively, that is self plus everything it called.
    const known = annotate(profile.file, namesOf(profile), true);
    for (const name of ['main', 'node::Start(int, char**)']) {
      // Most of the program, not all: node's other threads (libuv's pool, V8's platform) run outside main,
      // more or less of it depending on the machine's load (89.7% of the total was seen).
      expect(known.byName.get(name)).toBeGreaterThan(profile.totalIr * 0.5);
      expect({ name, inclusive: costOf(profile, name, 'inclusive') }).toEqual({ name, inclusive: known.byName.get(name) });
    }
    for (const f of profile.functions.values()) expect(f.inclusive).toBeGreaterThanOrEqual(f.self);
  });

  it('keys a name found in a second object as "name [object]"', () => {
    for (const [key, f] of profile.functions) {
      if (key === f.name) continue;
      expect(key).toBe(`${f.name} [${f.object ?? '???'}]`);
      expect(profile.functions.get(f.name)?.object).not.toBe(f.object);
    }
  });
});

describe('parseCallgrind on client-request dumps', () => {
  it('names each dump by its client request', () => {
    const pid = (JSON.parse(regions.stdout) as { pid: number }).pid;
    expect(regions.pid).toBe(pid);
    expect(regions.files.map((f) => f.slice(dir.length + 1))).toEqual([`cg.${pid}.out.1`, `cg.${pid}.out.2`, `cg.${pid}.out`]);
    expect([caseA.trigger, caseA.pid, caseB.trigger, caseB.pid]).toEqual(['case-a', pid, 'case-b', pid]);
    // The last file, at program termination, counted nothing: instrumentation was off.
    const rest = readCallgrindFile(regions.files[2] as string);
    expect([rest.trigger, rest.totalIr]).toEqual([null, 0]);
  });

  it('takes the total from totals:, since --instr-atstart=no leaves summary: at 0', () => {
    const text = readFileSync(caseA.file, 'utf8');
    expect(text).toMatch(/^summary: 0$/m);
    expect(text).toContain(`\ntotals: ${caseA.totalIr}\n`);
  });

  it('counts twice the instructions for twice the iterations', () => {
    expect(caseA.totalIr).toBeGreaterThan(500_000);
    expect(caseB.totalIr / caseA.totalIr).toBeGreaterThan(1.9);
    expect(caseB.totalIr / caseA.totalIr).toBeLessThan(2.1);
  });
});

describe('corrupt callgrind files', () => {
  const lines = (): string[] => readFileSync(profile.file, 'utf8').split('\n');

  /** The file cut in the middle of the first line at or after `from` that `pick` accepts. */
  function cutInLine(from: number, pick: (line: string) => boolean): { text: string; lastLine: number } {
    const all = lines();
    const at = all.findIndex((l, i) => i >= from && l.length >= 6 && pick(l));
    expect(at).toBeGreaterThan(0);
    const line = all[at] as string;
    const text = [...all.slice(0, at), line.slice(0, Math.floor(line.length / 2))].join('\n');
    return { text, lastLine: at + 1 };
  }

  it.each([
    ['a cost line', (l: string) => /^[0-9+*-]/.test(l)],
    ['a compressed fn= definition', (l: string) => /^fn=\(\d+\) /.test(l)],
    ['a calls= line', (l: string) => l.startsWith('calls=')],
    ['a cfn= line', (l: string) => l.startsWith('cfn=')],
  ])('refuses a real file cut in the middle of %s, naming the file and the last line', (_what, pick) => {
    const { text, lastLine } = cutInLine(Math.floor(lines().length / 2), pick);
    const file = join(dir, 'truncated.out');
    writeFileSync(file, text);
    expect(countsError(() => readCallgrindFile(file)).startsWith(`${file}:${lastLine}: `)).toBe(true);
  });

  it('refuses a real file that ends right after a calls= line', () => {
    const all = lines();
    const at = all.findIndex((l, i) => i > all.length / 2 && l.startsWith('calls='));
    const message = countsError(() => parseCallgrind(all.slice(0, at + 1).join('\n'), 'cut.out'));
    expect(message).toBe(`cut.out:${at + 1}: file ends after calls= without its cost line (truncated?)`);
  });

  it('refuses a real file whose totals: disagree with its cost lines, with both numbers', () => {
    const text = readFileSync(profile.file, 'utf8').replace(`\ntotals: ${profile.totalIr}`, `\ntotals: ${profile.totalIr + 1}`);
    const line = text.slice(0, text.indexOf('\ntotals:')).split('\n').length + 1;
    expect(countsError(() => parseCallgrind(text, 'x.out'))).toBe(`x.out:${line}: totals: says ${profile.totalIr + 1} Ir but the cost lines add up to ${profile.totalIr} (corrupt file)`);
  });

  it('refuses an empty file and garbage', () => {
    expect(countsError(() => parseCallgrind('', 'empty.out'))).toBe('empty.out:1: empty file, not a callgrind profile');
    expect(countsError(() => parseCallgrind('\u0000\u0001ELF binary\nmore', 'garbage.out'))).toMatch(/^garbage\.out:1: not a callgrind profile/);
    expect(countsError(() => parseCallgrind('{"not": "callgrind"}\n', 'j.out'))).toMatch(/^j\.out:1: /);
  });

  const HEAD = '# callgrind format\nversion: 1\ncreator: hand-written\npositions: line\nevents: Ir\n';

  it('refuses a compressed name no line defined', () => {
    const text = `${HEAD}ob=(1) /bin/x\nfl=(1) x.c\nfn=(1) f\n1 10\nfn=(99)\n2 5\ntotals: 15\n`;
    expect(countsError(() => parseCallgrind(text, 'undef.out'))).toBe('undef.out:10: reference to name (99), which no earlier line defines');
  });

  it('refuses a non-numeric cost, a missing Ir event and a missing events: line', () => {
    expect(countsError(() => parseCallgrind(`${HEAD}fn=f\n1 1x0\n`, 'nan.out'))).toBe('nan.out:7: non-numeric cost "1x0"');
    expect(countsError(() => parseCallgrind('# callgrind format\nversion: 1\nevents: Dr Dw\n', 'noir.out'))).toMatch(/^noir\.out:3: events: "Dr Dw" has no Ir column/);
    expect(countsError(() => parseCallgrind('# callgrind format\nversion: 1\n', 'noev.out'))).toBe('noev.out:2: no events: line; not a callgrind profile');
  });

  it('names the path of a file it cannot read', () => {
    const missing = join(dir, 'no-such.out');
    expect(countsError(() => readCallgrindFile(missing))).toContain(`cannot read callgrind file ${missing}`);
  });
});

describe('perf maps', () => {
  let map: PerfMap;
  beforeAll(() => {
    map = readPerfMap(regionsMapFile);
  });

  it('names the JIT code callgrind found hot as work', () => {
    // The known answer comes from callgrind: the code address it attributed most of case-a to.
    const [hot] = [...caseA.functions.values()].sort((a, b) => b.self - a.self);
    expect(hot?.name).toMatch(/^0x[0-9a-f]{16}$/);
    expect(hot?.object).toBeNull();
    expect(map.resolve(Number.parseInt(hot?.name.slice(2) ?? '', 16))).toMatch(/^JS:[~^+*]work .*regions\.cjs:\d+:\d+$/);
  });

  it('reads the map node --perf-basic-prof writes', () => {
    const run = spawnSync(process.execPath, ['--perf-basic-prof', '--interpreted-frames-native-stack', '--no-opt', '-e', `${WORK} for (let k = 0; k < 50; k++) work(1e4); process.stdout.write(String(process.pid));`], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const file = `/tmp/perf-${run.stdout}.map`;
    perfMapsToRemove.push(file);
    const text = readFileSync(file, 'utf8');
    rmSync(file, { force: true });
    const own = parsePerfMap(text);
    // Every code object of work, at its first and last byte, resolves to work unless code logged after it took that byte.
    const entries = text.split('\n').map((l) => {
      const [start = '', size = ''] = l.split(' ');
      return { start: Number.parseInt(start, 16), end: Number.parseInt(start, 16) + Number.parseInt(size, 16), line: l };
    });
    const overwritten = (i: number, address: number): boolean => entries.slice(i + 1).some((e) => e.start <= address && address < e.end);
    let checked = 0;
    entries.forEach((e, i) => {
      if (!/ JS:[~^+*]work \[eval\]:1:\d+$/.test(e.line)) return;
      for (const address of [e.start, e.end - 1]) {
        if (overwritten(i, address)) continue;
        expect(own.resolve(address)).toBe(e.line.slice(e.line.indexOf(' ', e.line.indexOf(' ') + 1) + 1));
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(0);
    expect(own.size).toBeGreaterThan(1000);
  });

  it('gives an overlapped range to the code logged later, and nothing outside the ranges', () => {
    const m = parsePerfMap('1000 100 JS:~old /a.js:1:1\n1040 20 JS:*new /a.js:9:1\n2000 10 Builtin:LoadIC\nnot a line\n3000\n');
    expect([0xfff, 0x1000, 0x103f, 0x1040, 0x105f, 0x1060, 0x10ff, 0x1100, 0x2005, 0x3000].map((a) => m.resolve(a))).toEqual([
      undefined, 'JS:~old /a.js:1:1', 'JS:~old /a.js:1:1', 'JS:*new /a.js:9:1', 'JS:*new /a.js:9:1', 'JS:~old /a.js:1:1', 'JS:~old /a.js:1:1', undefined, 'Builtin:LoadIC', undefined,
    ]);
    expect(readPerfMap(join(dir, 'missing.map')).resolve(0x1000)).toBeUndefined();
  });

  it('resolves as the last line covering the address would, for any ranges', () => {
    const range = fc.record({ start: fc.integer({ min: 0, max: 400 }), size: fc.integer({ min: 1, max: 120 }) });
    fc.assert(
      fc.property(fc.array(range, { maxLength: 30 }), (ranges) => {
        const m = parsePerfMap(ranges.map((r, i) => `${r.start.toString(16)} ${r.size.toString(16)} JS:~f${i} /a.js:${i}:1`).join('\n'));
        for (let address = 0; address < 530; address++) {
          const last = ranges.findLastIndex((r) => r.start <= address && address < r.start + r.size);
          expect(m.resolve(address)).toBe(last < 0 ? undefined : `JS:~f${last} /a.js:${last}:1`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('normalises names so two processes and two checkouts agree', () => {
    expect(normalisePerfName('JS:*work /home/ci/fleetkit/packages/bench/src/a.js:3:14')).toBe('work packages/bench/src/a.js:3:14');
    expect(normalisePerfName('JS:^work /work/main/packages/bench/src/a.js:3:14')).toBe('work packages/bench/src/a.js:3:14');
    expect(normalisePerfName('LazyCompile:~parse file:///srv/x/node_modules/.pnpm/zod@3.0.0/node_modules/zod/lib/index.js:5:1')).toBe('parse node_modules/zod/lib/index.js:5:1');
    expect(normalisePerfName('JS:~ /srv/x/packages/p/a.js:1:1')).toBe('(anonymous) packages/p/a.js:1:1');
    expect(normalisePerfName('JS:~get size node:internal/streams:7:2')).toBe('get size node:internal/streams:7:2');
    expect(normalisePerfName('Builtin:LoadIC')).toBe('Builtin:LoadIC');
    expect(normalisePerfName('Eval:~ /tmp/x.js:1:1')).toBe('Eval: /tmp/x.js:1:1');
  });

  it('resolves the profile and sums two code objects of one JS function', () => {
    const resolved = resolveNames(caseA, map);
    const work = [...resolved.functions.values()].find((f) => f.name.startsWith('work '));
    expect(work?.name).toMatch(/^work \/.*regions\.cjs:\d+:\d+$/);
    expect(work?.self).toBe([...caseA.functions.values()].sort((a, b) => b.self - a.self)[0]?.self);
    // Named functions and the total stay as they were.
    expect(resolved.totalIr).toBe(caseA.totalIr);
    const named = [...caseA.functions].find(([, f]) => f.object !== null);
    expect(named).toBeDefined();
    expect(resolved.functions.get(named![0])).toEqual(named![1]);

    // Two code objects of work in the real map (its tiers), as callgrind would name them.
    const starts = readFileSync(regionsMapFile, 'utf8')
      .split('\n')
      .filter((l) => / JS:[~^+*]work \//.test(l))
      .map((l) => Number.parseInt(l.slice(0, l.indexOf(' ')), 16))
      .filter((start) => normalisePerfName(map.resolve(start) ?? '') === work?.name);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    const [a, b] = starts;
    const fn = (address: number, self: number): [string, FunctionCost] => {
      const name = `0x${address.toString(16).padStart(16, '0')}`;
      return [name, { name, object: null, self, inclusive: self + 1 }];
    };
    const two: CallgrindProfile = { ...caseA, functions: new Map([fn(a!, 100), fn(b!, 20)]) };
    expect(a).not.toBe(b);
    const merged = [...resolveNames(two, map).functions.values()];
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ object: null, self: 120, inclusive: 122 });
    expect(merged[0]?.name).toBe(work?.name);
  });

  it('leaves a 0x… name inside an ELF object alone: that is an offset, not an address', () => {
    const name = '0x0000000000001040';
    const inObject: CallgrindProfile = { ...caseA, functions: new Map([[name, { name, object: '/lib/libpthread.so.0', self: 5, inclusive: 5 }]]) };
    expect([...resolveNames(inObject, parsePerfMap('1000 100 JS:~f /a.js:1:1\n')).functions.keys()]).toEqual([name]);
  });
});

describe('topGainers and formatGainers', () => {
  let base: CallgrindProfile;
  let head: CallgrindProfile;
  beforeAll(() => {
    const map = readPerfMap(regionsMapFile);
    base = resolveNames(caseA, map);
    head = resolveNames(caseB, map);
  });

  it('puts the loop that ran twice as often first', () => {
    const rows = topGainers(base, head);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(8);
    const [top] = rows;
    expect(top?.name).toMatch(/^work .*regions\.cjs/);
    const b = costOf(base, top!.name, 'self');
    const h = costOf(head, top!.name, 'self');
    expect(top).toEqual({ name: top!.name, base: b, head: h, delta: h - b });
    expect(top!.delta / b).toBeGreaterThan(0.9);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.delta).toBeLessThanOrEqual(rows[i - 1]!.delta);
    for (const r of rows) expect(r.delta).toBeGreaterThan(0);
    expect(topGainers(base, head, { limit: 1 })).toEqual([top]);
    expect(topGainers(head, base).map((r) => r.name)).not.toContain(top?.name);
    // By inclusive cost the interpreted caller of work gains as much as work, and more.
    const inclusive = topGainers(base, head, { by: 'inclusive', limit: 100 });
    const workInclusive = inclusive.find((r) => r.name === top?.name);
    expect(workInclusive?.delta).toBeGreaterThanOrEqual(top!.delta);
    expect(inclusive[0]!.delta).toBeGreaterThanOrEqual(workInclusive!.delta);
  });

  it('shows instructions per operation of each side', () => {
    const [top] = topGainers(base, head);
    // The same operations on both sides: the loop's cost per iteration doubles.
    // A fixed number of instructions an iteration, plus a few dozen to enter and leave work once.
    const perIteration = Math.round(top!.base / 100_000);
    expect(perIteration).toBeGreaterThan(3);
    expect(Math.abs(top!.base / 100_000 - perIteration)).toBeLessThan(0.01);
    const same = formatGainers([top!], { base: 100_000, head: 100_000 });
    expect(same).toBe(`  - +${perIteration} instr/op  ${escapeMarkdown(top!.name)}  (${perIteration} → ${perIteration * 2})`);
    // Head ran twice the operations: per operation the loop did not gain at all.
    expect(topGainers(base, head, { ops: { base: 100_000, head: 200_000 } }).map((r) => r.name)).not.toContain(top!.name);
    expect(formatGainers([top!], { base: 100_000, head: 200_000 })).toBe('(no function gained instructions per operation)');
  });

  it('formats known numbers, largest gain per operation first', () => {
    const rows = [
      { name: 'small', base: 1_000, head: 3_000, delta: 2_000 },
      { name: 'Builtins_LoadIC', base: 5_000_000, head: 12_468_000, delta: 7_468_000 },
    ];
    expect(formatGainers(rows, { base: 1_000, head: 2_000 })).toBe(['  - +1,234 instr/op  Builtins_LoadIC  (5,000 → 6,234)', '  - +0.5 instr/op  small  (1 → 1.5)'].join('\n'));
  });

  it('escapes names for Markdown lists and tables', () => {
    expect(escapeMarkdown('a|b`c')).toBe('a\\|b\\`c');
    expect(escapeMarkdown('std::vector<int>::operator*')).toBe('std::vector\\<int>::operator\\*');
    expect(escapeMarkdown('__libc_start_main')).toBe('\\_\\_libc_start_main');
    expect(escapeMarkdown('Builtins_LoadIC')).toBe('Builtins_LoadIC');
  });

  it('refuses nonsense options', () => {
    expect(countsError(() => topGainers(base, head, { limit: 0 }))).toContain('limit');
    expect(countsError(() => formatGainers([], { base: 0, head: 1 }))).toContain('operations of base');
  });
});
