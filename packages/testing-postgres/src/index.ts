/**
 * @fleetkit/testing-postgres: a real PostgreSQL server for fleetkit's tests
 * and benchmarks. Private to the workspace, never published.
 */
export type { PostgresController, ProvidedPostgres } from './controller.js';
export { controllerFor } from './controller.js';
export { injectedPostgres, testPostgres } from './in-test.js';
export type { TestPostgres } from './test-postgres.js';
export { connectToExisting, providedValues, startTestPostgres } from './test-postgres.js';
