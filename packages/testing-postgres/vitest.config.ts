import { defineConfig } from 'vitest/config';

// Same resolution as the packages that use this one, so the harness is tested as they run it.
export default defineConfig({
  resolve: { conditions: ['@fleetkit/source'] },
  ssr: { resolve: { conditions: ['@fleetkit/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // The shared server of the run (or FLEETKIT_PG_URL's), as a consumer would have it.
    globalSetup: ['src/global-setup.ts'],
    // Restarts and crash recovery of a real server take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
