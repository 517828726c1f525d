/**
 * Reading a fleet file: the file, its JSON, then its shape (zod). Every
 * failure is a {@link FleetConfigError} naming the file and each problem with
 * its place, so `fleet` can print it as it is.
 */
import { readFile } from 'node:fs/promises';
import { FleetConfigError } from '../errors.js';
import { configErrorMap, configIssuesOf } from './issues.js';
import { findJsonSyntaxError, positionAt } from './json-syntax.js';
import type { FleetConfig } from './schema.js';
import { FleetConfigSchema } from './schema.js';

/**
 * Validates a fleet file's parsed JSON: shape, field values, defaults, bot ids
 * in their roster spelling. Throws a {@link FleetConfigError} for `file`
 * listing every problem. Checks that need the whole fleet (dependencies,
 * tiers, duplicate ids) are `planFleet`'s.
 */
export function parseFleetConfig(value: unknown, file: string): FleetConfig {
  const parsed = FleetConfigSchema.safeParse(value, { error: configErrorMap });
  if (!parsed.success) throw new FleetConfigError(file, configIssuesOf(parsed.error.issues), { cause: parsed.error });
  return parsed.data;
}

/** Why a file could not be read, for people (`not found` rather than `ENOENT: no such file…`). */
function readProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'cannot read the fleet file: it does not exist';
  if (code === 'EISDIR') return 'cannot read the fleet file: it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the fleet file: permission denied';
  return `cannot read the fleet file: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Reads and validates a fleet file (see {@link parseFleetConfig}). A missing or
 * unreadable file, or one that is not JSON (with the line and column), is a
 * {@link FleetConfigError} too.
 */
export async function loadFleetConfig(file: string): Promise<FleetConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FleetConfigError(file, [{ path: [], message: readProblem(err) }], { cause: err });
  }
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const syntax = findJsonSyntaxError(text);
    const message =
      syntax === undefined
        ? `invalid JSON: ${err instanceof Error ? err.message : String(err)}`
        : (({ line, column }) => `invalid JSON at line ${line}, column ${column}: ${syntax.message}`)(positionAt(text, syntax.offset));
    throw new FleetConfigError(file, [{ path: [], message }], { cause: err });
  }
  return parseFleetConfig(value, file);
}
