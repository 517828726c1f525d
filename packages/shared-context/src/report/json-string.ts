/**
 * A string as a JSON string literal, exactly as `JSON.stringify` writes it.
 * Reports write thousands of short strings; `JSON.stringify` costs ~100 ns a
 * call here however short the string, while most strings need no escape at
 * all and only want their quotes.
 */

// What JSON.stringify escapes: `"`, `\`, C0 controls, and (well-formed
// JSON.stringify) lone surrogates — any surrogate sends the string the slow way.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`, with a fast path for text that needs no escape. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}
