/**
 * Peak RSS (and CPU time) of one node process, not of its children: a module
 * preloaded with `node --import probe.mjs` writes `process.resourceUsage()`
 * at exit. Reading /proc/<pid>/status from outside misses the last moments
 * (the process is gone when its exit is seen), and getrusage of children from
 * outside would add the bots.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The environment variable naming the file the probe writes. */
export const RSS_PROBE_ENV = 'FLEETKIT_RSS_PROBE_OUT';

/**
 * The probe. It takes its output file from the environment and then removes
 * both that variable and any `--import <probe>` from NODE_OPTIONS and
 * execArgv, so bots started by the measured process (also node) neither
 * inherit it nor write over its figures.
 */
export const RSS_PROBE_SCRIPT = `// Written by @fleetkit/bench fleet-run: records this process's peak RSS and CPU time at exit.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const out = process.env.${RSS_PROBE_ENV};
delete process.env.${RSS_PROBE_ENV};
const self = fileURLToPath(import.meta.url);
const isSelf = (s) => s === self || s === import.meta.url || s.endsWith('/rss-probe.mjs');
function strip(args) {
  const kept = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if ((a === '--import' || a === '--require' || a === '-r') && isSelf(args[i + 1] ?? '')) i++;
    else if (!((a.startsWith('--import=') || a.startsWith('--require=')) && isSelf(a.slice(a.indexOf('=') + 1)))) kept.push(a);
  }
  return kept;
}
if (process.env.NODE_OPTIONS !== undefined) {
  const rest = strip(process.env.NODE_OPTIONS.split(/\\s+/).filter((s) => s !== '')).join(' ');
  if (rest === '') delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = rest;
}
const execArgv = strip(process.execArgv);
process.execArgv.splice(0, process.execArgv.length, ...execArgv);
if (out !== undefined && out !== '') {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ maxRssKiB: u.maxRSS, cpuUserUs: u.userCPUTime, cpuSystemUs: u.systemCPUTime }));
  });
}
`;

/** What the probe writes: peak resident set (KiB on Linux) and CPU time (µs) of the process. */
export interface ProbeReading {
  readonly maxRssKiB: number;
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
}

/** Writes the probe as `rss-probe.mjs` in `dir`; returns its path (for `node --import`). */
export function writeRssProbe(dir: string): string {
  const path = join(dir, 'rss-probe.mjs');
  writeFileSync(path, RSS_PROBE_SCRIPT);
  return path;
}

/** Reads what the probe wrote to `file`; throws when it is missing or not a reading (the process did not exit normally). */
export function readProbe(file: string): ProbeReading {
  const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<keyof ProbeReading, unknown>>;
  const num = (x: unknown): number => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new Error(`${file}: not a probe reading: ${JSON.stringify(v)}`);
    return x;
  };
  return { maxRssKiB: num(v.maxRssKiB), cpuUserUs: num(v.cpuUserUs), cpuSystemUs: num(v.cpuSystemUs) };
}
