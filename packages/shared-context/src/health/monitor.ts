/**
 * A health-check loop for long-running hosts: checks every `intervalMs`,
 * calls `onChange` only when the status, the score or the set of alerts
 * changes, never runs two checks at once, and stops cleanly.
 */
import type { SessionView } from '../context/session-view.js';
import { ValidationError } from '../errors.js';
import { sessionHealth } from './cache.js';
import type { HealthCheckOptions } from './options.js';
import type { FleetHealth } from './types.js';

/** Options of {@link startHealthMonitor}. */
export interface HealthMonitorOptions {
  /** Time between the end of one check and the start of the next, ms. */
  readonly intervalMs: number;
  /** Called with the new result when it differs from the last one reported (and once at start). */
  readonly onChange: (health: FleetHealth) => void | Promise<void>;
  /** Called when a check or `onChange` throws; the monitor keeps going. */
  readonly onError?: (error: unknown) => void;
  /** Options for each check (history, window). */
  readonly check?: HealthCheckOptions;
}

/** A running monitor. */
export interface HealthMonitor {
  /** Stops the loop; resolves once no check is running. */
  stop(): Promise<void>;
}

/** What must differ for a result to count as a change (timestamps do not). */
function signature(h: FleetHealth): string {
  return JSON.stringify([h.status, h.healthScore, h.alerts.map((a) => [a.severity, a.category, a.bot, a.message])]);
}

/**
 * Starts checking `ctx` periodically; see {@link HealthMonitorOptions}.
 * Checks go through the session's own health cache, as `ctx.healthCheck()` does.
 */
export function startHealthMonitor(ctx: SessionView, options: HealthMonitorOptions): HealthMonitor {
  if (!Number.isFinite(options.intervalMs) || options.intervalMs <= 0) {
    throw new ValidationError([{ code: 'too_small', path: ['intervalMs'], message: 'must be a number > 0' }], 'startHealthMonitor');
  }
  if (typeof options.onChange !== 'function') {
    throw new ValidationError([{ code: 'invalid_type', path: ['onChange'], message: 'must be a function' }], 'startHealthMonitor');
  }
  let last: string | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    try {
      const health = sessionHealth(ctx, options.check);
      const sig = signature(health);
      if (sig !== last) {
        last = sig;
        await options.onChange(health);
      }
    } catch (err) {
      options.onError?.(err);
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      // The next check is scheduled only after this one (and its onChange) finished: no overlap.
      running = tick().then(schedule);
    }, options.intervalMs);
  };
  running = tick().then(schedule);

  return {
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
