/**
 * The JSON report format, version 1: a zod schema (what `parseReport`
 * accepts) and the JSON Schema fast-json-stringify serializes with. The two
 * describe the same document; a test checks that every report written
 * parses back. A report finding is the shared {@link FindingJSONSchema}
 * (derived from the finding's zod schema; also the dashboard API's finding)
 * plus report-only fields — `fingerprint`, `suppression`, `baselineState` —
 * added here, so the API's shape is untouched. `ReportFindingSchema` lists
 * the same fields for `parseReport` (more leniently: it reads reports, not
 * findings); a test fails when the two disagree.
 */
import { FindingJSONSchema } from '../findings/finding-json-schema.js';
import { z } from 'zod';
import { TIERS } from '../bots/tier.js';
import { EXECUTION_STATUSES } from '../context/execution.js';
import { SEVERITIES } from '../findings/severity.js';
import { ALERT_CATEGORIES, ALERT_SEVERITIES, HEALTH_STATUSES } from '../health/types.js';
import { PlainObjectSchema } from '../json-object-schema.js';
import { BASELINE_STATES, GROUP_BY } from './options.js';

/** Version of the JSON report format. */
export const REPORT_SCHEMA_VERSION = 1;

const iso = z.string();
const count = z.number().int().min(0);

/** A finding as the JSON report writes it (with its stable fingerprint). */
export const ReportFindingSchema = z.object({
  id: z.string(),
  fingerprint: z.string(),
  source: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  category: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  element: z.string().optional(),
  suggestion: z.string().optional(),
  fixable: z.boolean(),
  fixed: z.boolean(),
  createdAt: iso,
  related: z.array(z.string()),
  metadata: PlainObjectSchema,
  recipeId: z.string().optional(),
  confidence: z.number().optional(),
  /** Present when the report's `suppressions` option marks the finding. */
  suppression: z.object({ justification: z.string(), expires: z.string().optional() }).optional(),
  /** Present when the report was given `newFindings`. */
  baselineState: z.enum(BASELINE_STATES).optional(),
});

/** The whole JSON report. */
export const ReportJSONSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generator: z.object({ name: z.literal('fleetkit'), version: z.string() }),
  generatedAt: iso,
  repo: z.object({ name: z.string(), path: z.string() }),
  session: z.object({ id: z.string(), startedAt: iso, completedAt: iso.nullable(), durationMs: z.number().min(0) }),
  health: z.object({
    status: z.enum(HEALTH_STATUSES),
    score: z.number().min(0).max(100),
    alerts: z.array(
      z.object({ severity: z.enum(ALERT_SEVERITIES), category: z.enum(ALERT_CATEGORIES), message: z.string(), bot: z.string().nullable(), timestamp: iso }),
    ),
  }),
  releaseBlocked: z.boolean(),
  summary: z.object({
    totalBots: count,
    completed: count,
    inProgress: count,
    pending: count,
    failed: count,
    skipped: count,
    filesAnalyzed: count,
    totalFindings: count,
    bySeverity: z.object({ error: count, warning: count, info: count, suggestion: count }),
    unfixedErrors: count,
    fixable: count,
    fixed: count,
    // Optional: reports written before suppressions were reported lack it.
    suppressed: count.optional(),
    new: count.optional(),
  }),
  bots: z.array(
    z.object({ id: z.string(), name: z.string(), tier: z.enum(TIERS), status: z.enum(EXECUTION_STATUSES), findings: count, errors: count, durationMs: z.number().nullable() }),
  ),
  tiers: z.array(
    z.object({
      tier: z.enum(TIERS),
      status: z.enum(HEALTH_STATUSES),
      botCount: count,
      healthyCount: count,
      failedCount: count,
      avgCompletionMs: z.number().nullable(),
      totalFindings: count,
    }),
  ),
  groupBy: z.enum(GROUP_BY),
  minSeverity: z.enum(SEVERITIES),
  matching: count,
  listed: count,
  groups: z.array(z.object({ key: z.string(), total: count, omitted: count, findings: z.array(ReportFindingSchema) })),
});

/** A parsed JSON report. */
export type ReportJSON = z.output<typeof ReportJSONSchema>;

// ── JSON Schema for fast-json-stringify ──
// A finding's fields are derived from the finding's zod schema (FindingJSONSchema); the rest
// mirrors the zod schemas above by hand, held to them by the report's round-trip tests.

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableNum = { type: ['number', 'null'] } as const;

// Rest/spread keeps every derived finding property, in the finding's order, so a field added to
// the finding's zod schema is written here too; only `fingerprint` is placed out of that order.
const { id, ...findingProperties } = FindingJSONSchema.properties;

/**
 * JSON Schema of one report finding: a finding with its fingerprint second,
 * then its suppression and baseline state when the report has them.
 */
export const reportFindingJsonSchema = {
  type: 'object',
  properties: {
    id,
    fingerprint: str,
    ...findingProperties,
    suppression: { type: 'object', properties: { justification: str, expires: str }, required: ['justification'] },
    baselineState: { type: 'string', enum: BASELINE_STATES },
  },
  required: [...FindingJSONSchema.required, 'fingerprint'],
} as const;

/** JSON Schema of the report without its groups (they are streamed). */
export const reportHeadJsonSchema = {
  type: 'object',
  properties: {
    schemaVersion: int,
    generator: { type: 'object', properties: { name: str, version: str }, required: ['name', 'version'] },
    generatedAt: str,
    repo: { type: 'object', properties: { name: str, path: str }, required: ['name', 'path'] },
    session: { type: 'object', properties: { id: str, startedAt: str, completedAt: nullableStr, durationMs: num }, required: ['id', 'startedAt', 'completedAt', 'durationMs'] },
    health: {
      type: 'object',
      properties: {
        status: str,
        score: num,
        alerts: {
          type: 'array',
          items: { type: 'object', properties: { severity: str, category: str, message: str, bot: nullableStr, timestamp: str }, required: ['severity', 'category', 'message', 'bot', 'timestamp'] },
        },
      },
      required: ['status', 'score', 'alerts'],
    },
    releaseBlocked: bool,
    summary: {
      type: 'object',
      properties: {
        totalBots: int,
        completed: int,
        inProgress: int,
        pending: int,
        failed: int,
        skipped: int,
        filesAnalyzed: int,
        totalFindings: int,
        bySeverity: { type: 'object', properties: { error: int, warning: int, info: int, suggestion: int }, required: ['error', 'warning', 'info', 'suggestion'] },
        unfixedErrors: int,
        fixable: int,
        fixed: int,
        suppressed: int,
        new: int,
      },
      required: ['totalBots', 'completed', 'inProgress', 'pending', 'failed', 'skipped', 'filesAnalyzed', 'totalFindings', 'bySeverity', 'unfixedErrors', 'fixable', 'fixed'],
    },
    bots: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: str, name: str, tier: str, status: str, findings: int, errors: int, durationMs: nullableNum },
        required: ['id', 'name', 'tier', 'status', 'findings', 'errors', 'durationMs'],
      },
    },
    tiers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { tier: str, status: str, botCount: int, healthyCount: int, failedCount: int, avgCompletionMs: nullableNum, totalFindings: int },
        required: ['tier', 'status', 'botCount', 'healthyCount', 'failedCount', 'avgCompletionMs', 'totalFindings'],
      },
    },
    groupBy: str,
    minSeverity: str,
    matching: int,
    listed: int,
  },
  required: ['schemaVersion', 'generator', 'generatedAt', 'repo', 'session', 'health', 'releaseBlocked', 'summary', 'bots', 'tiers', 'groupBy', 'minSeverity', 'matching', 'listed'],
} as const;
