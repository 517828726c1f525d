/**
 * Free-form data (finding metadata, shared context data) is JSON: it must
 * survive `JSON.stringify` and come back equal. Values are copied on the way
 * in so a caller's later mutation cannot change what was accepted, and keys
 * such as `__proto__` are kept as plain data, never as prototype setters.
 */
import type { Issue, PathSegment } from './issue.js';

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

const MAX_DEPTH = 256;

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-copies `value` if it is JSON, appending a problem to `issues` (with its
 * path) for every part that is not. Returns undefined when there were problems.
 */
export function copyJson(value: unknown, path: PathSegment[], issues: Issue[], depth = 0): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      issues.push({ code: 'invalid_json', path: [...path], message: 'number must be finite (NaN and Infinity are not JSON)' });
      return undefined;
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_DEPTH) {
        issues.push({ code: 'too_deep', path: [...path], message: `nested more than ${MAX_DEPTH} levels` });
        return undefined;
      }
      if (Array.isArray(value)) {
        const out: JsonValue[] = new Array<JsonValue>(value.length);
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          const v = copyJson(value[i], path, issues, depth + 1);
          path.pop();
          out[i] = v as JsonValue;
        }
        return out;
      }
      if (!isPlainObject(value)) {
        issues.push({ code: 'invalid_json', path: [...path], message: `expected plain JSON data, got ${value.constructor?.name ?? 'object'}` });
        return undefined;
      }
      const out: JsonObject = {};
      for (const key of Object.keys(value)) {
        path.push(key);
        const v = copyJson((value as Record<string, unknown>)[key], path, issues, depth + 1);
        path.pop();
        if (v !== undefined) setOwn(out, key, v);
      }
      return out;
    }
    case 'undefined':
      // Like JSON.stringify: an undefined property is simply absent.
      return undefined;
    default:
      issues.push({ code: 'invalid_json', path: [...path], message: `${typeof value} is not JSON` });
      return undefined;
  }
}

/** Sets an own data property, even for `__proto__`, without invoking setters. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
