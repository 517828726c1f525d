/**
 * Callgrind's client requests, from JavaScript: `@codspeed/core` ships them
 * as a prebuilt N-API addon (linux-x64, linux-arm64, darwin-arm64), so no
 * compiler is needed on the machine. Loaded only inside a counting process.
 */
import { createRequire } from 'node:module';
import { BenchError } from '../errors.js';

/** Switches callgrind's instrumentation around a measured region and dumps one file per region. */
export interface CountHooks {
  /** True when the process runs under valgrind. */
  readonly instrumented: boolean;
  /** Zeroes the counters and starts counting. */
  start(): void;
  /** Stops counting. */
  stop(): void;
  /** Writes what was counted since `start` to a file whose trigger names `name`. */
  dump(name: string): void;
}

interface NativeHooks {
  isInstrumented(): boolean;
  startBenchmark(): number;
  stopBenchmark(): number;
  setExecutedBenchmark(pid: number, uri: string): number;
}

export function loadCountHooks(): CountHooks {
  const require = createRequire(import.meta.url);
  let core: { isBound: boolean; InstrumentHooks: NativeHooks };
  try {
    core = require('@codspeed/core') as typeof core;
  } catch (err) {
    throw new BenchError('FK_BENCH_COUNTS', `@codspeed/core could not be loaded (${(err as Error).message}); run pnpm install`, { cause: err });
  }
  if (!core.isBound) throw new BenchError('FK_BENCH_COUNTS', `the native hooks of @codspeed/core did not load on ${process.platform}-${process.arch} (prebuilt for linux-x64, linux-arm64, darwin-arm64)`);
  const h = core.InstrumentHooks;
  const check = (what: string, rc: number): void => {
    if (rc !== 0) throw new BenchError('FK_BENCH_COUNTS', `callgrind client request ${what} failed (${rc})`);
  };
  return {
    instrumented: h.isInstrumented(),
    start: () => check('start', h.startBenchmark()),
    stop: () => check('stop', h.stopBenchmark()),
    dump: (name) => check('dump', h.setExecutedBenchmark(process.pid, name)),
  };
}
