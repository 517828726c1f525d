/**
 * vitest globalSetup: starts the PostgreSQL server every test file of the run
 * shares (or checks the one FLEETKIT_PG_URL names) and hands its coordinates
 * to the test files, which run in worker processes and so cannot share the
 * handle itself. Use it as `globalSetup: ['@fleetkit/testing-postgres/global-setup']`.
 */
import type { TestProject } from 'vitest/node';
import './provided-context.js';
import { connectToExisting, providedValues, startTestPostgres } from './test-postgres.js';

/** Provides the server's values (read back by `testPostgres()`) and stops the server after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['FLEETKIT_PG_URL'];
  const pg = external !== undefined && external !== '' ? await connectToExisting(external) : await startTestPostgres();
  const provided = providedValues(pg);
  project.provide('pgUrl', provided.pgUrl);
  project.provide('pgManaged', provided.pgManaged);
  project.provide('pgDataDir', provided.pgDataDir);
  project.provide('pgBinDir', provided.pgBinDir);
  project.provide('pgPort', provided.pgPort);
  project.provide('pgPassword', provided.pgPassword);
  project.provide('pgRunAsPostgres', provided.pgRunAsPostgres);
  return () => pg.close();
}
