import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the directory with pnpm-workspace.yaml). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `shared/` lives beside the clone: `<repo>/../shared` (CI and developer machines alike). */
export const sharedDir = resolve(repoRoot, '..', 'shared');

/** The real-input corpus; tests fail loudly when it is missing rather than silently testing nothing. */
export const corpusDir = resolve(sharedDir, 'corpus');

export function requireCorpus(): string {
  if (!existsSync(corpusDir)) throw new Error(`test corpus not found at ${corpusDir} (shared/ must sit beside the repository)`);
  return corpusDir;
}
