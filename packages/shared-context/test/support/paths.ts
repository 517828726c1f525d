import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the directory with pnpm-workspace.yaml). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The real-input corpus, vendored in the repository (`fixtures/`, see its
 * README for sources and licences), so a clone tests itself with nothing beside it.
 */
export const corpusDir = resolve(repoRoot, 'fixtures');

/** The official SARIF 2.1.0 schema (JSON Schema draft-04), vendored with the corpus. */
export const sarifSchemaFile = resolve(corpusDir, 'sarif-schema-2.1.0.json');

/** The corpus directory; fails loudly when it is missing rather than silently testing nothing. */
export function requireCorpus(): string {
  if (!existsSync(corpusDir)) throw new Error(`test corpus not found at ${corpusDir} (the repository's fixtures/ directory)`);
  return corpusDir;
}
