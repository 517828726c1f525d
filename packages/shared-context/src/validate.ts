/** The one place where outside values meet zod and become typed values or a ValidationError. */
import type { z } from 'zod';
import { ValidationError } from './errors.js';
import type { PathSegment } from './issue.js';
import { fromZodIssues } from './issue.js';

/** Where an input came from, for error messages. */
export interface InputOrigin {
  /** A file path or argument name, e.g. `sessions/abc.json` or `addFindings`. */
  readonly source?: string;
  /** Path prefix for every issue, e.g. `['findings', 3]`. */
  readonly path?: readonly PathSegment[];
}

/** Parses `value` with `schema` or throws a {@link ValidationError} naming every problem. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, origin: InputOrigin = {}): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(fromZodIssues(result.error.issues, origin.path), origin.source, { cause: result.error });
}
