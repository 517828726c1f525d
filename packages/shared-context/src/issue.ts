/**
 * Validation problems as data: a code, a path into the input and a message.
 * Paths stay arrays until they are shown (see {@link formatPath}).
 */
import type { z } from 'zod';

/** A segment of a path into some input: a property name or an array index. */
export type PathSegment = string | number;

/** One problem with an input. */
export interface Issue {
  /** Machine-readable kind of problem (zod's issue code, or our own). */
  readonly code: string;
  /** Where in the input the problem is, e.g. `['findings', 3, 'severity']`. */
  readonly path: readonly PathSegment[];
  /** What is wrong, for people. */
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Renders a path like zod's `toDotPath`: `findings[3].severity`, `data["a b"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** One line per issue: `path: message`, capped so a huge input cannot produce a huge message. */
export function formatIssues(issues: readonly Issue[], max = 10): string {
  const shown = issues.slice(0, max).map((i) => `${formatPath(i.path)}: ${i.message}`);
  if (issues.length > max) shown.push(`… and ${issues.length - max} more`);
  return shown.join('; ');
}

/** Converts zod issues to ours, prefixing each path with `prefix`. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[] = []): Issue[] {
  return issues.map((i) => ({
    code: i.code,
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: i.message,
  }));
}
