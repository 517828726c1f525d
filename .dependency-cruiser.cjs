// @ts-check
/**
 * Import-cycle check for packages/*\/src, run by `pnpm lint` (turbo's root
 * task `//#lint:cycles`, which every package's `lint` depends on).
 *
 * dependency-cruiser rather than ESLint's import-x/no-cycle: that rule always
 * skips `import type`, and a type-only circle still ties modules together
 * (they cannot be understood, moved or layered apart), which is what this
 * check exists to stop. `tsPreCompilationDeps` keeps type-only imports in
 * the graph.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import closes a cycle (type-only imports count). Move the shared part to a module below both ' +
        'sides so that imports only go down; see the module graph in packages/shared-context/README.md.',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^packages/[^/]+/src/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      // The workspace packages' `@fleetkit/source` condition points at src/, as in tsconfig.base.json.
      conditionNames: ['@fleetkit/source', 'import', 'types', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    cache: false,
  },
};
