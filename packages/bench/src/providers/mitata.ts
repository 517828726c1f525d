/** mitata behind the provider interface. */
import { do_not_optimize, measure } from 'mitata';
import type { BenchCase } from '../cases/case.js';
import { fullGc } from '../full-gc.js';
import type { BenchProvider, MeasureOptions } from './provider.js';

export const mitataProvider: BenchProvider = {
  name: 'mitata',
  async sample(fn: () => unknown, c: BenchCase, o: MeasureOptions): Promise<number[]> {
    const isAsync = fn() instanceof Promise;
    const timed = isAsync
      ? async () => {
          do_not_optimize(await (fn() as Promise<unknown>));
        }
      : () => {
          do_not_optimize(fn());
        };
    // inner_gc: mitata collects before each sample, outside the sample's time.
    const gc = c.collectBeforeSample === true ? { gc: fullGc(), inner_gc: true } : {};
    const stats = (await measure(timed, { min_cpu_time: o.timeMs * 1e6, warmup_threshold: o.warmupMs * 1e6, ...gc } as never)) as { samples: number[] };
    // mitata reports ns per call; a call is `batch` operations.
    return stats.samples.map((ns) => ns / c.batch);
  },
};
