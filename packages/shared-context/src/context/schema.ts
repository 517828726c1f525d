/** zod schemas for bot info, executions and the serialized context (`Context.toJSON`). */
import { z } from 'zod';
import { TIERS } from '../bots/tier.js';
import { FindingInputSchema } from '../findings/finding.js';
import { PlainObjectSchema } from '../json-object-schema.js';

/** Bot ids: non-empty, printable, at most 200 characters. */
export const BotIdSchema = z
  .string()
  .min(1, 'bot id must not be empty')
  .max(200, 'bot id must be at most 200 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'bot id must not contain control characters');

/** Info given when registering a custom bot; missing fields get defaults. */
export const BotInfoInputSchema = z.strictObject({
  id: BotIdSchema.optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  version: z.string().optional(),
  tier: z.enum(TIERS).optional(),
  categories: z.array(z.string()).optional(),
  canFix: z.boolean().optional(),
  dependsOn: z.array(BotIdSchema).optional(),
});

/** Input of `registerBot` for custom bots. */
export type BotInfoInput = z.input<typeof BotInfoInputSchema>;

/** A complete bot info record. */
export const BotInfoSchema = z.strictObject({
  id: BotIdSchema,
  name: z.string(),
  description: z.string(),
  version: z.string(),
  tier: z.enum(TIERS),
  categories: z.array(z.string()),
  canFix: z.boolean(),
  dependsOn: z.array(BotIdSchema),
});

const iso = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

/** A serialized bot execution. */
export const BotExecutionSchema = z.discriminatedUnion('status', [
  z.strictObject({ bot: BotIdSchema, status: z.literal('pending') }),
  z.strictObject({ bot: BotIdSchema, status: z.literal('running'), startedAt: iso }),
  z.strictObject({
    bot: BotIdSchema,
    status: z.literal('completed'),
    startedAt: iso,
    completedAt: iso,
    durationMs: z.number().min(0),
    findingsCount: count,
    errorsCount: count,
    filesAnalyzed: count,
  }),
  z.strictObject({ bot: BotIdSchema, status: z.literal('failed'), startedAt: iso, completedAt: iso, durationMs: z.number().min(0), error: z.string() }),
  z.strictObject({ bot: BotIdSchema, status: z.literal('skipped'), completedAt: iso, reason: z.string() }),
]);

/** Version of the serialized context format. */
export const CONTEXT_SCHEMA_VERSION = 1;

/** The serialized form of a Context (what `toJSON` writes and `fromJSON` reads). */
export const ContextJSONSchema = z.strictObject({
  schemaVersion: z.literal(CONTEXT_SCHEMA_VERSION),
  sessionId: z.string().min(1),
  repoName: z.string().min(1),
  repoPath: z.string(),
  startedAt: iso,
  completedAt: iso.nullable(),
  bots: z.array(BotInfoSchema),
  executions: z.array(BotExecutionSchema),
  findings: z.array(FindingInputSchema),
  data: PlainObjectSchema,
});

/** The serialized form of a Context. */
export type ContextJSON = z.output<typeof ContextJSONSchema>;

/**
 * ContextJSONSchema with each bot and finding left to the decoder: most are
 * roster bots and well-formed findings, which plain code checks in a fraction
 * of zod's time, running zod (with the same paths) only to explain a bad one.
 */
export const ContextEnvelopeSchema = ContextJSONSchema.extend({ bots: z.array(z.unknown()), findings: z.array(z.unknown()) });

/** What `completeBot` takes. */
export const CompletionSchema = z.strictObject({
  findings: count,
  errors: count,
  files: count,
});
