/**
 * Where a text stops being JSON. `JSON.parse` on Node 20 names a position for
 * some errors and none for others (`Unexpected token '}', "{"a":}" is not
 * valid JSON`), so a fleet file that does not parse is scanned again here to
 * point at the line and column, with a message that does not vary by Node
 * version. Iterative, so deep nesting cannot overflow the stack.
 */

/** A syntax error: its offset (UTF-16 code units) and what is wrong. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

/** A place in a text, 1-based. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** Line and column (1-based) of an offset in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_]\w*/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** What the scanner expects next. */
type Expect = 'value' | 'first-value' | 'first-key' | 'key' | 'after-value';

function shown(ch: string | undefined): string {
  return ch === undefined ? 'end of file' : `${JSON.stringify(ch)}`;
}

/** The first syntax error of `text` as JSON, or undefined for valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: ('{' | '[')[] = [];
  let expect: Expect = 'value';
  let i = 0;
  const fail = (message: string): JsonSyntaxError => ({ offset: i, message });
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
    const ch = text[i];
    if (ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return fail('comments are not allowed in JSON');
    switch (expect) {
      case 'after-value': {
        const top = stack.at(-1);
        if (top === undefined) return ch === undefined ? undefined : fail(`unexpected ${shown(ch)} after the end of the JSON value`);
        const close = top === '{' ? '}' : ']';
        if (ch === ',') {
          i++;
          expect = top === '{' ? 'key' : 'value';
        } else if (ch === close) {
          i++;
          stack.pop();
        } else return fail(`expected "," or "${close}", found ${shown(ch)}`);
        continue;
      }
      case 'first-key':
      case 'key': {
        if (ch === '}' && expect === 'first-key') {
          i++;
          stack.pop();
          expect = 'after-value';
          continue;
        }
        if (ch === '}') return fail('a trailing comma is not allowed in JSON');
        if (ch !== '"') return fail(`expected a property name in double quotes, found ${shown(ch)}`);
        const bad = scanString(text, i);
        if (typeof bad !== 'number') return bad;
        i = bad;
        while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
        if (text[i] !== ':') return fail(`expected ":" after the property name, found ${shown(text[i])}`);
        i++;
        expect = 'value';
        continue;
      }
      case 'first-value':
        if (ch === ']') {
          i++;
          stack.pop();
          expect = 'after-value';
          continue;
        }
        break;
      case 'value':
        if (ch === ']' && stack.at(-1) === '[') return fail('a trailing comma is not allowed in JSON');
        break;
    }
    // A value.
    if (ch === '{' || ch === '[') {
      stack.push(ch);
      i++;
      expect = ch === '{' ? 'first-key' : 'first-value';
      continue;
    }
    if (ch === '"') {
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
    } else if (ch !== undefined && /[-\d]/.test(ch)) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return fail('invalid number');
      i = NUMBER.lastIndex;
    } else if (ch !== undefined && /[A-Za-z_]/.test(ch)) {
      WORD.lastIndex = i;
      WORD.test(text); // matches: ch is a letter
      const word = text.slice(i, WORD.lastIndex);
      if (word !== 'true' && word !== 'false' && word !== 'null') {
        return fail(`expected a value, found ${word} (JSON's only words are true, false and null; text needs double quotes)`);
      }
      i = WORD.lastIndex;
    } else return fail(ch === undefined ? 'unexpected end of file' : `expected a value, found ${shown(ch)}`);
    expect = 'after-value';
    // A value must not run into the next token without a separator (`12x`, `truex`).
    const next = text[i];
    if (next !== undefined && /[\w.]/.test(next)) return fail(`unexpected ${shown(next)}`);
  }
}

/** Scans the string starting at `start` (a `"`): the offset after it, or the error in it. */
function scanString(text: string, start: number): number | JsonSyntaxError {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code === 0x5c) {
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(text)) return { offset: i, message: 'invalid escape in a string' };
      i = ESCAPE.lastIndex;
    } else if (code < 0x20) {
      return { offset: i, message: 'a line break or control character in a string must be escaped (\\n, \\t, …)' };
    } else i++;
  }
  return { offset: start, message: 'unterminated string' };
}
