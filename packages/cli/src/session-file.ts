/** Reading and writing session files (the JSON of `Context.toJSON`). */
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { Context, ValidationError } from '@fleetkit/shared-context';
import { CliError } from './errors.js';

/** Reads a session file; a missing, non-JSON or invalid file is a {@link CliError} naming the problem. */
export async function readSession(file: string): Promise<Context> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError('FK_CLI_INPUT', `cannot read session ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError('FK_CLI_INPUT', `session ${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  try {
    return Context.fromJSON(value, { source: file });
  } catch (err) {
    if (err instanceof ValidationError) throw new CliError('FK_CLI_INPUT', `session ${file} is not a fleet session: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Writes text atomically: to a temporary file beside `file`, then renamed over it. Chunks are written as they come. */
export async function writeFileAtomic(file: string, text: string | Iterable<string>): Promise<void> {
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new CliError('FK_CLI_OUTPUT', `cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Checks that `base` can be the baseline of `head`: a session of the same
 * repository that started no later. Anything else is a {@link CliError}
 * (exit 2) saying which rule it broke, since a comparison against it would
 * call findings new or unchanged for no reason. `name` is its file or id.
 */
export function checkBaseline(base: Context, name: string, head: Context): Context {
  if (base.repoName !== head.repoName) {
    throw new CliError('FK_CLI_INPUT', `baseline ${name} is a session of repository "${base.repoName}", but the session compared with it is of "${head.repoName}"; a baseline must be an older session of the same repository`);
  }
  if (Date.parse(base.startedAt) > Date.parse(head.startedAt)) {
    throw new CliError('FK_CLI_INPUT', `baseline ${name} (session ${base.sessionId}, started ${base.startedAt}) is newer than the session compared with it (session ${head.sessionId}, started ${head.startedAt}); a baseline must be older — are --session and --baseline swapped?`);
  }
  return base;
}
