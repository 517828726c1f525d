/**
 * Vitest global setup: builds `@fleetkit/cli` and the packages it depends on
 * once, before any test file runs, so that every file's `buildCli()` finds
 * the binary built instead of building it again (ten builds were most of the
 * suite's time).
 */
import { buildCli } from './run-fleet.js';

export default function setup(): void {
  // Under turbo (which sets TURBO_HASH), `test` depends on `build`: the packages are built already.
  if (process.env.TURBO_HASH === undefined) buildCli();
  process.env.FLEETKIT_CLI_BUILT = '1';
}
