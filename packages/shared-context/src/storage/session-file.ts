/**
 * The file of one stored session: the serialized Context, plus the batches
 * stored under idempotency keys (`ingestBatches`), kept in the same file so
 * that a batch and its key are written by one atomic rename — never one
 * without the other.
 */
import { z } from 'zod';
import { Context } from '../context/context.js';
import type { ContextOptions } from '../context/options.js';
import type { ContextJSON } from '../context/schema.js';
import { CONTEXT_SCHEMA_VERSION } from '../context/schema.js';
import { sharedDataRecord } from '../context/shared-data.js';
import { storedFinding } from '../findings/finding.js';
import type { JsonValue } from '../json-value.js';
import { parseWith } from '../validate.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import type { StoredBatch } from './idempotency.js';

const BatchesSchema = z.array(
  z.strictObject({ key: z.string().min(1), fingerprint: z.string().min(1), firstSeq: z.number().int().min(1), added: z.number().int().min(0) }),
);

/** A session file as read: the Context and its keyed batches. */
export interface SessionFileContent {
  readonly ctx: Context;
  readonly batches: Map<string, StoredBatch>;
}

/** Reads a session file; undefined when there is none. Throws a ValidationError naming the file when it is bad. */
export async function readSessionFile(path: string, maxBytes: number, options: ContextOptions | undefined): Promise<SessionFileContent | undefined> {
  const value = await readJsonFile(path, maxBytes);
  if (value === undefined) return undefined;
  const batches = new Map<string, StoredBatch>();
  let json = value;
  if (value !== null && typeof value === 'object' && 'ingestBatches' in value) {
    const { ingestBatches, ...rest } = value as { ingestBatches: unknown };
    for (const b of parseWith(BatchesSchema, ingestBatches, { source: path, path: ['ingestBatches'] })) {
      batches.set(b.key, { fingerprint: b.fingerprint, firstSeq: b.firstSeq, added: b.added });
    }
    json = rest;
  }
  return { ctx: Context.fromJSON(json, { ...options, source: path }), batches };
}

/** Writes a session file atomically (with its keyed batches, when there are any), in chunks. */
export async function writeSessionFile(path: string, ctx: Context, batches: ReadonlyMap<string, StoredBatch> | undefined): Promise<void> {
  if (batches === undefined || batches.size === 0) {
    await writeFileAtomic(path, contextJSONChunks(ctx));
    return;
  }
  const ingestBatches = [...batches].map(([key, b]) => ({ key, fingerprint: b.fingerprint, firstSeq: b.firstSeq, added: b.added }));
  await writeFileAtomic(path, contextJSONChunks(ctx, { ingestBatches }));
}

/** Findings serialized per chunk of {@link contextJSONChunks}. */
const FINDINGS_PER_CHUNK = 1000;

/**
 * `JSON.stringify(ctx)` (with the keys of `extra` after it) in chunks: the
 * text of a few findings at a time, so a session of 100,000 findings is
 * written without its whole text, and every finding's serialized copy, in
 * memory at once. The chunks joined are exactly `JSON.stringify(ctx)`.
 */
export function* contextJSONChunks(ctx: Context, extra?: Readonly<Record<string, unknown>>): Generator<string> {
  const { findings: _none, data, ...head } = sessionStateJSON(ctx);
  yield `${JSON.stringify(head).slice(0, -1)},"findings":[`;
  const all = ctx.findings.all();
  for (let i = 0; i < all.length; i += FINDINGS_PER_CHUNK) {
    let text = '';
    const end = Math.min(i + FINDINGS_PER_CHUNK, all.length);
    for (let j = i; j < end; j++) text += `${j === 0 ? '' : ','}${JSON.stringify(storedFinding(all[j]!))}`;
    yield text;
  }
  const tail = JSON.stringify({ data, ...extra });
  yield `],${tail.slice(1)}`;
}

/** The serialized session without its findings (bots, executions, shared data, completion): cheap, whatever the session's size. */
export function sessionStateJSON(ctx: Context): ContextJSON {
  const data = new Map<string, JsonValue>();
  for (const key of ctx.dataKeys()) data.set(key, ctx.getData(key)!);
  return {
    schemaVersion: CONTEXT_SCHEMA_VERSION,
    sessionId: ctx.sessionId,
    repoName: ctx.repoName,
    repoPath: ctx.repoPath,
    startedAt: ctx.startedAt,
    completedAt: ctx.completedAt,
    bots: [...ctx.bots()] as ContextJSON['bots'],
    executions: [...ctx.executions()],
    findings: [],
    data: sharedDataRecord(data),
  };
}
