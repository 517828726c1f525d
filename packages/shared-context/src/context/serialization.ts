/**
 * A session to and from its JSON form (`ContextJSON`). Reading checks more
 * than the schema can: each bot listed once, one execution per bot and none
 * for an unknown bot, so a loaded session is as consistent as a live one.
 */
import type { z } from 'zod';
import type { BotId, BotInfo } from '../bots/roster.js';
import { botInfo } from '../bots/roster.js';
import { ValidationError } from '../errors.js';
import { FindingSet } from '../findings/finding-set.js';
import type { Issue } from '../issue.js';
import { fromZodIssues } from '../issue.js';
import type { FindingInput } from '../findings/finding.js';
import { isIssuedFinding, storedFinding } from '../findings/finding.js';
import type { JsonValue } from '../json-value.js';
import { copyJson } from '../json-value.js';
import type { BotExecution } from './execution.js';
import type { ContextJSON } from './schema.js';
import { BotInfoSchema, CONTEXT_SCHEMA_VERSION, ContextEnvelopeSchema } from './schema.js';
import type { SessionView } from './session-view.js';
import { sharedDataRecord } from './shared-data.js';

/** The serialized form of a session whose bots, executions and data are these maps. */
export function contextToJSON(
  session: Pick<SessionView, 'sessionId' | 'repoName' | 'repoPath' | 'startedAt' | 'completedAt' | 'findings'>,
  bots: ReadonlyMap<BotId, BotInfo>,
  executions: ReadonlyMap<BotId, BotExecution>,
  data: ReadonlyMap<string, JsonValue>,
): ContextJSON {
  const record = sharedDataRecord(data);
  return {
    schemaVersion: CONTEXT_SCHEMA_VERSION,
    sessionId: session.sessionId,
    repoName: session.repoName,
    repoPath: session.repoPath,
    startedAt: session.startedAt,
    completedAt: session.completedAt,
    bots: [...bots.values()] as ContextJSON['bots'],
    executions: [...executions.values()],
    findings: session.findings.all().map(storedFinding),
    data: record,
  };
}

/** A serialized session, checked, with its parts ready to install in a new `Context`. */
export interface DecodedContext {
  /** The envelope, checked; its findings are checked as they are added (addSerializedFindings). */
  readonly json: z.output<typeof ContextEnvelopeSchema>;
  readonly bots: ReadonlyMap<BotId, BotInfo>;
  readonly executions: ReadonlyMap<BotId, BotExecution>;
  readonly data: Readonly<Record<string, JsonValue>>;
}

/**
 * Validates a serialized session: the schema, then the consistency between
 * bots and executions. Throws one {@link ValidationError} naming every
 * problem and `source` (a file name).
 */
export function decodeContextJSON(value: unknown, source: string): DecodedContext {
  const envelope = ContextEnvelopeSchema.safeParse(value);
  if (!envelope.success) {
    // Every problem at once: the findings' too, when there is a list of them.
    const issues = fromZodIssues(envelope.error.issues);
    const findings = (value as { findings?: unknown } | null)?.findings;
    if (Array.isArray(findings)) issues.push(...findingIssues(findings));
    throw new ValidationError(issues, source, { cause: envelope.error });
  }
  const json = envelope.data;
  const issues: Issue[] = [];
  const bots = new Map<BotId, BotInfo>();
  // Ids of listed bots that are invalid: their executions are not "unknown".
  const invalid = new Set<unknown>();
  json.bots.forEach((raw, i) => {
    const b = decodeBot(raw, i, issues);
    if (b === undefined) {
      invalid.add((raw as { id?: unknown } | null)?.id);
      return;
    }
    if (bots.has(b.id)) issues.push({ code: 'duplicate', path: ['bots', i, 'id'], message: `bot "${b.id}" is listed twice` });
    bots.set(b.id, b);
  });
  const executions = new Map<BotId, BotExecution>();
  json.executions.forEach((e, i) => {
    if (!bots.has(e.bot) && !invalid.has(e.bot)) issues.push({ code: 'unknown_bot', path: ['executions', i, 'bot'], message: `bot "${e.bot}" has an execution but is not in "bots"` });
    if (executions.has(e.bot)) issues.push({ code: 'duplicate', path: ['executions', i, 'bot'], message: `bot "${e.bot}" has two executions` });
    executions.set(e.bot, e);
  });
  for (const id of bots.keys()) if (!executions.has(id)) issues.push({ code: 'missing_execution', path: ['executions'], message: `bot "${id}" has no execution record` });
  const data = copyJson(json.data, ['data'], issues) as Record<string, JsonValue> | undefined;
  if (issues.length > 0) throw new ValidationError([...issues, ...findingIssues(json.findings)], source);
  return { json, bots, executions, data: data ?? {} };
}

/** The problems of a serialized session's findings, as a set would report them (only run when something else is wrong). */
function findingIssues(list: readonly unknown[]): Issue[] {
  try {
    new FindingSet().addAll(list as Iterable<FindingInput>);
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return [...err.issues];
    throw err;
  }
}

/**
 * One serialized bot: its roster entry itself when it is the roster's info
 * unchanged (what registering a standard bot stores), else checked by zod and
 * frozen; undefined, with issues at `bots[i]`, when bad.
 */
function decodeBot(raw: unknown, i: number, issues: Issue[]): BotInfo | undefined {
  const standard = rosterEntryEqualTo(raw);
  if (standard !== undefined) return standard;
  const r = BotInfoSchema.safeParse(raw);
  if (!r.success) {
    issues.push(...fromZodIssues(r.error.issues, ['bots', i]));
    return undefined;
  }
  const b = r.data;
  return Object.freeze({ ...b, categories: Object.freeze(b.categories), dependsOn: Object.freeze(b.dependsOn) });
}

const BOT_INFO_KEYS = 8;

function sameStrings(a: unknown, b: readonly string[]): boolean {
  if (!Array.isArray(a) || a.length !== b.length) return false;
  for (let k = 0; k < b.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function rosterEntryEqualTo(raw: unknown): BotInfo | undefined {
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  const r = raw as Record<string, unknown>;
  const e = typeof r.id === 'string' ? botInfo(r.id) : undefined;
  if (e === undefined) return undefined;
  let keys = 0;
  for (const _ in r) keys++;
  if (keys !== BOT_INFO_KEYS) return undefined;
  if (r.name !== e.name || r.description !== e.description || r.version !== e.version || r.tier !== e.tier || r.canFix !== e.canFix) return undefined;
  return sameStrings(r.categories, e.categories) && sameStrings(r.dependsOn, e.dependsOn) ? e : undefined;
}

/** Adds a serialized session's findings; a bad one is a {@link ValidationError} naming `source`, not the set. */
export function addSerializedFindings(findings: FindingSet, list: readonly unknown[], source: string): void {
  try {
    // A finding of another set (fromJSON given records, not JSON) is copied, never shared: marking it fixed here must not change the other set.
    findings.addAll((list.some(isIssuedFinding) ? list.map((f) => (isIssuedFinding(f) ? storedFinding(f) : f)) : list) as Iterable<FindingInput>);
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(err.issues, source, { cause: err });
    throw err;
  }
}
