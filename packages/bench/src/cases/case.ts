/** A benchmark case: a named operation and how to set it up. */

/** One benchmark. */
export interface BenchCase {
  /** Stable name, `group/operation`, e.g. `findings/add-1000`. */
  readonly name: string;
  /** What is measured, for people. */
  readonly description: string;
  /**
   * Operations per call of the timed function. Sub-microsecond operations
   * run many times per call so each timed sample is long enough to measure;
   * results are reported per operation.
   */
  readonly batch: number;
  /** Only with `--scale` (100,000+ findings: slow to set up). */
  readonly scale?: boolean;
  /** Only with `--scale --full` (1,000,000 findings: ~0.5 GB and seconds per sample). */
  readonly full?: boolean;
  /**
   * A full garbage collection, untimed, before each sample. For cases whose
   * samples each build a whole session: the previous sample's session is
   * garbage that would otherwise be collected, and timed, inside the next.
   * Collections a sample causes itself are still timed.
   */
  readonly collectBeforeSample?: boolean;
  /** Prepares state (not timed) and returns the timed function. */
  setup(): () => unknown;
}

/** Where results go so the JIT cannot drop the work that produced them. */
export const sink: { value: unknown } = { value: undefined };
