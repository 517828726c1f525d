/** Where the package, the repository and the saved baselines are, from the built (or source) module. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory of this module: `dist/` when built (where cli.js and memory-child.js are). */
export const here = dirname(fileURLToPath(import.meta.url));
export const pkgDir = resolve(here, '..');
export const repoRoot = resolve(pkgDir, '..', '..');
export const baselinesDir = join(pkgDir, 'baselines');
