/**
 * The server side only (no vitest): what a benchmark or script needs to start
 * a throwaway PostgreSQL cluster, or to use FLEETKIT_PG_URL's server.
 */
export { connectToExisting, startTestPostgres } from './test-postgres.js';
export type { TestPostgres } from './test-postgres.js';
export type { PostgresController } from './controller.js';
