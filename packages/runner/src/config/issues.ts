/**
 * zod's issues as the runner's {@link ConfigIssue}s, worded for the person
 * editing the fleet file: `bots[3].run: required`, `bots[0].format: must be
 * one of "eslint", "sarif", …`, one `unknown key "foo"` per unknown key.
 */
import type { PathSegment } from '@fleetkit/shared-context';
import type { z } from 'zod';
import type { ConfigIssue } from '../errors.js';

const ARTICLE: Readonly<Record<string, string>> = {
  array: 'an array',
  object: 'an object',
  int: 'a whole number',
  integer: 'a whole number',
};

/** How a JSON type is named in a message: "a string", "an array". */
function typeName(type: string): string {
  return ARTICLE[type] ?? `a ${type}`;
}

/** The JSON type of a value, as people name it. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeName(typeof value);
}

/**
 * The messages of issues the schema gives no message of its own: types,
 * enums and unions (schema-level messages take precedence over this map).
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `must be ${typeName(issue.expected)}, not ${jsonTypeOf(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
    }
    case 'invalid_union': {
      if (issue.input === undefined) return 'required';
      // A value of none of the union's types: name the types.
      const expected = issue.errors.flatMap((branch) => branch.flatMap((i) => (i.code === 'invalid_type' && i.path.length === 0 ? [typeName(i.expected)] : [])));
      return expected.length === 0 ? undefined : `must be ${[...new Set(expected)].join(' or ')}, not ${jsonTypeOf(issue.input)}`;
    }
    case 'invalid_key':
      // A record key failed its schema: the key schema's message says what is wrong.
      return issue.issues[0]?.message;
    default:
      return undefined;
  }
};

const segmentOf = (p: PropertyKey): PathSegment => (typeof p === 'symbol' ? String(p) : p);

/** zod's issues as ConfigIssues, one per unknown key. */
export function configIssuesOf(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map(segmentOf);
    if (issue.code === 'unrecognized_keys') {
      // zod reports the keys together on their object; each is its own mistake, at its own place.
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown key ${JSON.stringify(key)}` });
      continue;
    }
    if (issue.code === 'invalid_union') {
      // A value of one of the union's types (an array for `run`) is wrong in that branch's terms: say what is wrong
      // there (`run[0]: must be a string`), not only which types the union takes.
      const typed = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (typed.length === 1) {
        for (const inner of configIssuesOf(typed[0] ?? [])) out.push({ path: [...path, ...inner.path], message: inner.message });
        continue;
      }
    }
    out.push({ path, message: issue.message });
  }
  return out;
}
