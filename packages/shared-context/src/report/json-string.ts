/**
 * A string as a JSON string literal, exactly as `JSON.stringify` writes it.
 * Reports write thousands of short strings; `JSON.stringify` costs ~100 ns a
 * call here however short the string, while most strings need no escape at
 * all and only want their quotes.
 */

import { wellFormed } from './escape.js';

// What JSON.stringify escapes: `"`, `\`, C0 controls, and (well-formed
// JSON.stringify) lone surrogates — any surrogate sends the string the slow way.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`, with a fast path for text that needs no escape. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

// Anything either wellFormed or JSON.stringify would change.
// eslint-disable-next-line no-control-regex
const NEEDS_CARE = /["\\\u0000-\u001f\u007f-\u009f\ud800-\udfff]/;

/** `jsonString(wellFormed(text))`, in one scan for text that needs neither. */
export function wellFormedJsonString(text: string): string {
  return NEEDS_CARE.test(text) ? JSON.stringify(wellFormed(text)) : `"${text}"`;
}
