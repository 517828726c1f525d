/**
 * The shared server from inside a test file, where the globalSetup's handle
 * is out of reach (another process) but the values it provided are not.
 */
import { inject } from 'vitest';
import type { PostgresController, ProvidedPostgres } from './controller.js';
import './provided-context.js';
import { controllerFor } from './controller.js';

/**
 * The server `@fleetkit/testing-postgres/global-setup` started (or
 * FLEETKIT_PG_URL's). Call it in a test file, not in a vitest config or
 * globalSetup: the values it reads only exist in test workers.
 */
export function testPostgres(): PostgresController {
  return controllerFor(injectedPostgres());
}

/** The values the globalSetup provided, as a test worker receives them (same rule as {@link testPostgres}). */
export function injectedPostgres(): ProvidedPostgres {
  return {
    pgUrl: inject('pgUrl'),
    pgManaged: inject('pgManaged'),
    pgDataDir: inject('pgDataDir'),
    pgBinDir: inject('pgBinDir'),
    pgPort: inject('pgPort'),
    pgPassword: inject('pgPassword'),
    pgRunAsPostgres: inject('pgRunAsPostgres'),
  };
}
