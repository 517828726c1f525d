/**
 * JSON Schemas of the HTTP API: fastify validates requests with them and
 * serializes responses with them (fast-json-stringify), and @fastify/swagger
 * publishes them as the OpenAPI document — one description, three uses.
 */
import { ALERT_CATEGORIES, ALERT_SEVERITIES, EXECUTION_STATUSES, FindingJSONSchema, HEALTH_STATUSES, REPORT_FORMATS, SEVERITIES, TIERS } from '@fleetkit/shared-context';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const nullable = (type: 'string' | 'number' | 'integer') => ({ type: [type, 'null'] }) as const;
const obj = (properties: Record<string, unknown>, required: readonly string[] = Object.keys(properties)) =>
  ({ type: 'object', additionalProperties: false, properties, required }) as const;

/** Session ids and repo names reach storage only encoded; this bounds them and keeps control characters out. */
export const SessionIdSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' } as const;
export const RepoNameSchema = SessionIdSchema;
/** A bot id, as the library accepts it. */
export const BotIdSchema = SessionIdSchema;

export const ErrorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: str,
        message: str,
        issues: { type: 'array', items: obj({ path: str, message: str }) },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

/**
 * A finding, as the library serializes it. It is derived from the library's
 * zod schema and used unchanged: it is draft-07 with plain types, which
 * fast-json-stringify serializes and @fastify/swagger turns into OpenAPI 3.0
 * (a test checks the published document against the zod schema).
 */
export const FindingSchema = FindingJSONSchema;

const AlertSchema = obj({
  severity: { type: 'string', enum: ALERT_SEVERITIES },
  category: { type: 'string', enum: ALERT_CATEGORIES },
  message: str,
  bot: nullable('string'),
  timestamp: str,
});

const BotHealthSchema = obj({
  status: { type: 'string', enum: HEALTH_STATUSES },
  executionStatus: { type: 'string', enum: EXECUTION_STATUSES },
  findingsCount: int,
  errorsCount: int,
  durationMs: nullable('number'),
  avgDurationMs: nullable('number'),
  successRate: nullable('number'),
  anomalies: { type: 'array', items: str },
});

const TierHealthSchema = obj({
  tier: { type: 'string', enum: TIERS },
  status: { type: 'string', enum: HEALTH_STATUSES },
  botCount: int,
  healthyCount: int,
  failedCount: int,
  avgCompletionMs: nullable('number'),
  totalFindings: int,
});

export const HealthSchema = obj({
  status: { type: 'string', enum: HEALTH_STATUSES },
  checkedAt: str,
  healthScore: num,
  botHealth: { type: 'object', additionalProperties: BotHealthSchema },
  tierHealth: { type: 'object', additionalProperties: TierHealthSchema },
  systemMetrics: obj({
    sessionDurationMs: num,
    totalBots: int,
    botsCompleted: int,
    botsInProgress: int,
    botsFailed: int,
    totalFindings: int,
    errorRate: num,
    avgBotDurationMs: nullable('number'),
  }),
  alerts: { type: 'array', items: AlertSchema },
  historySkipped: { type: 'array', items: int },
});

const SeverityCounts = obj(Object.fromEntries(SEVERITIES.map((s) => [s, int])));

export const StatusSchema = obj({
  sessionId: str,
  repoName: str,
  repoPath: str,
  startedAt: str,
  completedAt: nullable('string'),
  version: int,
  healthStatus: { type: 'string', enum: HEALTH_STATUSES },
  healthScore: num,
  blocksRelease: bool,
  totalFindings: int,
  fixedFindings: int,
  findingsBySeverity: SeverityCounts,
  findingsBySource: { type: 'object', additionalProperties: int },
  botsRun: int,
  botsFailed: int,
  botsRunning: int,
  botsPending: int,
  readyBots: { type: 'array', items: str },
});

export const SessionListingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sessionId', 'repoName', 'modifiedAt'],
  properties: { sessionId: str, repoName: str, modifiedAt: str, sizeBytes: int, findingsCount: int },
} as const;

export const SessionListSchema = obj({ sessions: { type: 'array', items: SessionListingSchema } });

export const RepoListSchema = obj({
  repos: {
    type: 'array',
    items: obj({ name: str, sessions: int, latestSessionId: nullable('string'), latestModifiedAt: nullable('string'), trend: nullable('string') }),
  },
});

export const BotsSchema = obj({
  bots: {
    type: 'array',
    items: obj(
      {
        id: str,
        name: str,
        description: str,
        version: str,
        tier: { type: 'string', enum: TIERS },
        categories: { type: 'array', items: str },
        canFix: bool,
        dependsOn: { type: 'array', items: str },
        status: { type: 'string', enum: EXECUTION_STATUSES },
        startedAt: str,
        completedAt: str,
        durationMs: num,
        findingsCount: int,
        errorsCount: int,
        filesAnalyzed: int,
        error: str,
        reason: str,
      },
      ['id', 'name', 'description', 'version', 'tier', 'categories', 'canFix', 'dependsOn', 'status'],
    ),
  },
});

export const FindingPageSchema = obj({ items: { type: 'array', items: FindingSchema }, nextCursor: nullable('string'), endCursor: str, total: int });

export const FindingsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    bot: BotIdSchema,
    severity: { type: 'string', enum: SEVERITIES },
    category: { type: 'string', maxLength: 200 },
    tier: { type: 'string', enum: TIERS },
    file: { type: 'string', maxLength: 1000 },
    q: { type: 'string', maxLength: 200 },
    fixed: bool,
    cursor: { type: 'string', maxLength: 400 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

export const ReportQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxFindings: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    groupBy: { type: 'string', enum: ['severity', 'bot', 'category', 'file'] },
    minSeverity: { type: 'string', enum: SEVERITIES },
    target: { type: 'string', enum: ['github-comment'] },
  },
} as const;

export const ReportParamsSchema = obj({ sessionId: SessionIdSchema, format: { type: 'string', enum: REPORT_FORMATS } });

const SessionRecordSchema = {
  type: 'object',
  properties: {
    sessionId: str,
    startedAt: str,
    completedAt: nullable('string'),
    durationMs: nullable('number'),
    totalFindings: int,
    errors: int,
    warnings: int,
    blocksRelease: bool,
    bots: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

export const HistorySchema = obj({
  repoName: str,
  trend: nullable('string'),
  updatedAt: nullable('string'),
  sessions: { type: 'array', items: SessionRecordSchema },
  skipped: { type: 'array', items: int },
});

/**
 * A bot registered with its info, as the library's `registerBot(id, info)`
 * takes it: every field but `id` optional, falling back to the roster's
 * entry (or the custom defaults). The library validates it again.
 */
export const SessionBotSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: BotIdSchema,
    name: str,
    description: str,
    version: str,
    tier: { type: 'string', enum: TIERS },
    categories: { type: 'array', maxItems: 1000, items: str },
    canFix: bool,
    dependsOn: { type: 'array', maxItems: 100, items: BotIdSchema },
  },
} as const;

export const CreateSessionBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['repoName'],
  properties: {
    repoName: RepoNameSchema,
    repoPath: { type: 'string', maxLength: 4096 },
    bots: { type: 'array', maxItems: 100, items: { anyOf: [BotIdSchema, SessionBotSchema] } },
  },
} as const;

export const FindingsBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['findings'],
  properties: { findings: { type: 'array', minItems: 1, maxItems: 10_000, items: { type: 'object' } } },
} as const;

export const CompleteBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['findings', 'errors', 'files'],
  properties: { findings: { type: 'integer', minimum: 0 }, errors: { type: 'integer', minimum: 0 }, files: { type: 'integer', minimum: 0 } },
} as const;

export const FailBodySchema = obj({ message: { type: 'string', minLength: 1, maxLength: 10_000 } });
export const SkipBodySchema = obj({ reason: { type: 'string', minLength: 1, maxLength: 10_000 } });
/** `start`: `force` starts a bot whose dependencies are not done. */
export const StartBodySchema = { type: 'object', additionalProperties: false, properties: { force: bool } } as const;

export const SessionParams = obj({ sessionId: SessionIdSchema });
export const BotParams = obj({ sessionId: SessionIdSchema, bot: BotIdSchema });
export const RepoParams = obj({ repo: RepoNameSchema });

/** The Idempotency-Key header of an ingest (what a retried batch is recognised by). */
export const IdempotencyHeadersSchema = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' } },
} as const;

/** What an ingest stored: the count and the sequence numbers of the batch, and whether it was a replay. */
export const AppendResultSchema = obj({ added: int, firstSeq: int, lastSeq: int, replayed: { type: 'boolean' } });
