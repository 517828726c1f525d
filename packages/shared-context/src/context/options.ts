/** What a `Context` is created with, and how its constructor's arguments are checked. */
import type { Issue } from '../issue.js';

/** Options of a `Context`. */
export interface ContextOptions {
  /** Session id. @default a random UUID */
  readonly sessionId?: string;
  /** Clock in epoch milliseconds; inject one for reproducible tests. @default Date.now */
  readonly now?: () => number;
  /** Ids of findings added without one; see `CreateFindingOptions.newId`. @default random UUIDs */
  readonly newId?: () => string;
  /** When the session started, ISO 8601. @default now */
  readonly startedAt?: string;
  /** Time a health check may be served from cache, in ms; 0 disables caching. @default 5000 */
  readonly healthTtlMs?: number;
}

// One shared default for every `new Context(name, path)`, frozen so no caller can alter it.
export const NO_OPTIONS: ContextOptions = Object.freeze({});

// Reads Date.now at each call (not once), so fake timers and clock changes are seen.
export const systemNow = (): number => Date.now();

/** Every problem with the constructor's arguments, for one ValidationError. */
export function constructorIssues(repoName: unknown, repoPath: unknown, ttl: number): Issue[] {
  const issues: Issue[] = [];
  if (typeof repoName !== 'string' || repoName.length === 0) issues.push({ code: 'invalid_type', path: ['repoName'], message: 'must be a non-empty string' });
  if (typeof repoPath !== 'string') issues.push({ code: 'invalid_type', path: ['repoPath'], message: 'must be a string' });
  if (!Number.isFinite(ttl) || ttl < 0) issues.push({ code: 'too_small', path: ['options', 'healthTtlMs'], message: 'must be a finite number ≥ 0' });
  return issues;
}
