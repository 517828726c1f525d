/** Whether a bot has anything to look at: do its `files` globs match a file of the repository? */
import { glob } from 'tinyglobby';

// Never what a bot's globs mean, and the slowest trees to walk.
const IGNORED = ['**/node_modules/**', '**/.git/**'];

/** True when any of `patterns` (relative to `root`) matches a file. */
export async function matchesAnyFile(patterns: readonly string[], root: string): Promise<boolean> {
  const found = await glob([...patterns], { cwd: root, onlyFiles: true, ignore: IGNORED, expandDirectories: false, dot: true });
  return found.length > 0;
}
