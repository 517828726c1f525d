import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of workspace packages (the
// `@fleetkit/source` export condition), so a test never sees a stale build.
export default defineConfig({
  resolve: { conditions: ['@fleetkit/source'] },
  ssr: { resolve: { conditions: ['@fleetkit/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // One real PostgreSQL server for the whole run (or FLEETKIT_PG_URL's).
    globalSetup: ['@fleetkit/testing-postgres/global-setup'],
    // Restarts and crash recovery of a real server take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
