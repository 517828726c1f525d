import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of workspace packages (the
// `@fleetkit/source` export condition), so a test never sees a stale build.
export default defineConfig({
  resolve: { conditions: ['@fleetkit/source'] },
  ssr: { resolve: { conditions: ['@fleetkit/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // A real PostgreSQL server for the --store tests (or FLEETKIT_PG_URL's).
    globalSetup: ['@fleetkit/testing-postgres/global-setup', './test/build-once.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
