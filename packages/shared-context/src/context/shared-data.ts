/**
 * The data bots share through a session: JSON values under string keys.
 * Values are copied on the way in, so a bot that keeps mutating its object
 * cannot change what the others read, and `__proto__` keys stay data.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Issue } from '../issue.js';
import type { JsonValue } from '../json-value.js';
import { copyJson, setOwn } from '../json-value.js';
import { parseWith } from '../validate.js';

/** A validated, detached copy of a value for `setData`; throws a {@link ValidationError} naming each problem. */
export function sharedDataValue(key: string, value: unknown): JsonValue {
  const issues: Issue[] = [];
  if (typeof key !== 'string' || key.length === 0) issues.push({ code: 'invalid_type', path: ['key'], message: 'must be a non-empty string' });
  const copy = copyJson(value, ['value'], issues);
  if (value === undefined) issues.push({ code: 'invalid_type', path: ['value'], message: 'undefined is not JSON' });
  if (issues.length > 0) throw new ValidationError(issues, 'setData');
  return copy as JsonValue;
}

/** A stored value read through `schema` (when given), failing with the key in the error's source. */
export function readSharedData(key: string, value: JsonValue | undefined, schema: z.ZodType | undefined): unknown {
  if (value === undefined || schema === undefined) return value;
  return parseWith(schema, value, { source: `getData(${JSON.stringify(key)})` });
}

/** The shared data as a plain JSON object (own properties only, so `__proto__` is a key). */
export function sharedDataRecord(data: ReadonlyMap<string, JsonValue>): Record<string, JsonValue> {
  const record: Record<string, JsonValue> = {};
  for (const [k, v] of data) setOwn(record, k, v);
  return record;
}
