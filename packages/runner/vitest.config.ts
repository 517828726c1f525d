import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of workspace packages (the
// `@fleetkit/source` export condition), so a test never sees a stale build.
export default defineConfig({
  resolve: { conditions: ['@fleetkit/source'] },
  ssr: { resolve: { conditions: ['@fleetkit/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
