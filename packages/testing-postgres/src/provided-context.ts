/**
 * The values the global setup provides, typed for `project.provide` and
 * `inject`. Only the test-side modules import this file, so the server side
 * (a benchmark) builds without vitest.
 */
export {};

// Types `project.provide` in globalSetup and `inject` in test files, for every package that imports this one.
declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgManaged: boolean;
    pgDataDir: string;
    pgBinDir: string;
    pgPort: number;
    pgPassword: string;
    pgRunAsPostgres: boolean;
  }
}
