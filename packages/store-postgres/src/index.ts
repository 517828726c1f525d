/**
 * @fleetkit/store-postgres: fleetkit sessions in PostgreSQL, for a fleet on
 * many hosts and several dashboard replicas. Implements the library's
 * `SessionStorage`, so the dashboard and the CLI use it as they use files.
 */
export { CHANGES_CHANNEL, PostgresStorage } from './postgres-storage.js';
export type { ChangeNotice, PostgresStorageOptions } from './postgres-storage.js';
export { isPostgresUrl, parseConnectionUrl, redactUrl } from './connection-url.js';
export type { ConnectionUrl } from './connection-url.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export type { Migration, MigrationOutcome } from './migrations.js';
export { openStorage } from './open-storage.js';
export type { OpenStorageOptions } from './open-storage.js';
