/** tinybench behind the provider interface. */
import { Bench } from 'tinybench';
import type { BenchCase } from '../cases/case.js';
import { sink } from '../cases/case.js';
import { fullGc } from '../full-gc.js';
import type { BenchProvider, MeasureOptions } from './provider.js';

export const tinybenchProvider: BenchProvider = {
  name: 'tinybench',
  async sample(fn: () => unknown, c: BenchCase, o: MeasureOptions): Promise<number[]> {
    const bench = new Bench({ time: o.timeMs, warmupTime: o.warmupMs, retainSamples: true, throws: true });
    const gc = c.collectBeforeSample === true ? fullGc() : undefined;
    bench.add(
      c.name,
      async () => {
        const r = fn();
        sink.value = r instanceof Promise ? await r : r;
      },
      gc === undefined ? {} : { beforeEach: () => { sink.value = undefined; gc(); } },
    );
    await bench.run();
    const task = bench.tasks[0];
    const result = task?.result as { state?: string; latency?: { samples?: readonly number[] }; error?: unknown } | undefined;
    if (result?.state === 'errored') throw result.error instanceof Error ? result.error : new Error(String(result.error));
    const samples = result?.latency?.samples;
    if (samples === undefined || samples.length === 0) throw new Error(`tinybench produced no samples for ${c.name}`);
    // tinybench reports ms per call; a call is `batch` operations.
    return samples.map((ms) => (ms * 1e6) / c.batch);
  },
};
