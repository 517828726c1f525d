/**
 * Turns text into JSON values, or into a rejection that says what the text
 * really is: empty, just a file name, log output, or broken JSON (with where).
 */
import type { JsonValue } from '../json-value.js';
import type { RejectedItem } from './types.js';

/** Parsed text: one JSON document, or JSON Lines (one value per non-empty line). */
export type ParsedText =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'jsonl'; readonly lines: readonly { readonly line: number; readonly value: JsonValue }[] }
  | { readonly kind: 'rejected'; readonly rejection: RejectedItem };

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;
// eslint-disable-next-line no-control-regex
const LOG_LINE = /^\s*(?:\u001b\[[0-9;]*m)*\s*\[(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|OK)\]/im;
const FILE_NAME = /^[\w.\-/\\]+\.[A-Za-z0-9]{1,10}$/;

/** Reads `text` as JSON, falling back to JSON Lines; never throws. */
export function parseText(text: string): ParsedText {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trim();
  if (trimmed.length === 0) return reject('empty', body.length === 0 ? 'the input is empty' : 'the input holds only white space');
  if (!trimmed.includes('\n') && FILE_NAME.test(trimmed) && !/^[-\d.eE+]+$/.test(trimmed)) {
    return reject('filename_only', `the input holds only a file name ("${clip(trimmed)}"), not findings; probably a copied symlink`);
  }
  try {
    return { kind: 'json', value: JSON.parse(body) as unknown };
  } catch (err) {
    const jsonl = parseJsonLines(body);
    if (jsonl !== undefined) return { kind: 'jsonl', lines: jsonl };
    if (ANSI.test(body) || LOG_LINE.test(body)) {
      const line = firstLogLine(body);
      const json = body.split(/\r?\n/).findIndex((l) => /^\s*[[{]/.test(l));
      const hint = json === -1 ? '' : `; JSON seems to start at line ${json + 1}: remove the log lines`;
      return reject('log_text', `the input is log output, not JSON (line ${line.number}: "${clip(stripAnsi(line.text))}")${hint}`);
    }
    return reject('invalid_json', `not valid JSON: ${describeJsonError(err, body)}`);
  }
}

function reject(code: RejectedItem['code'], reason: string): ParsedText {
  return { kind: 'rejected', rejection: { path: [], code, reason } };
}

/** Every non-empty line an object: JSON Lines (rdjsonl). Undefined otherwise. */
function parseJsonLines(text: string): { line: number; value: JsonValue }[] | undefined {
  const out: { line: number; value: JsonValue }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (l.length === 0) continue;
    if (!l.startsWith('{')) return undefined;
    try {
      out.push({ line: i + 1, value: JSON.parse(l) as JsonValue });
    } catch {
      return undefined;
    }
  }
  return out.length > 1 ? out : undefined;
}

function firstLogLine(text: string): { number: number; text: string } {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => l.trim().length > 0);
  return { number: i + 1, text: lines[i] ?? '' };
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** `SyntaxError` message plus line and column when V8 gives a position. */
function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /position (\d+)/.exec(message);
  if (m === null) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}
