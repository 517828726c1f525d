/** Report formats and options, validated at the edge. */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { SEVERITIES } from '../findings/severity.js';
import type { Severity } from '../findings/severity.js';
import { fromZodIssues } from '../issue.js';

/** Formats every reporter supports. */
export const REPORT_FORMATS = ['markdown', 'json', 'html', 'sarif'] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How findings are grouped in a report. */
export const GROUP_BY = ['severity', 'bot', 'category', 'file'] as const;
/** One of {@link GROUP_BY}. */
export type GroupBy = (typeof GROUP_BY)[number];

/** Why a finding is accepted: what a suppression says about it. */
export interface ReportSuppression {
  /** Why the finding is accepted (not blank). Shown beside the finding in every format. */
  readonly justification: string;
  /** When the suppression stops applying: a date `YYYY-MM-DD` or an ISO date-time. */
  readonly expires?: string;
}

/** States of a finding relative to a baseline (SARIF's `baselineState` values that apply to current findings). */
export const BASELINE_STATES = ['new', 'unchanged'] as const;
/** One of {@link BASELINE_STATES}. */
export type BaselineState = (typeof BASELINE_STATES)[number];

/** Options of every reporter. */
export interface ReportOptions {
  /** Findings listed at most; the rest are summarised as "… and N more". @default all */
  readonly maxFindings?: number;
  /** Grouping of the findings. @default 'severity' (then bot within each severity) */
  readonly groupBy?: GroupBy;
  /** Leave out findings less severe than this. @default 'suggestion' (everything) */
  readonly minSeverity?: Severity;
  /**
   * Markdown only: `'github-comment'` keeps the whole text under GitHub's
   * 65,536-character comment limit, folds each group into `<details>`, and
   * starts with the marker `<!-- fleetkit-report:REPO -->`.
   */
  readonly target?: 'github-comment';
  /** Clock for the generated time (epoch ms). @default the context's clock */
  readonly now?: () => number;
  /**
   * Finding id → why that finding is accepted. Suppressed findings stay in
   * the report, marked with their justification (Markdown and HTML show it,
   * JSON keeps it as `suppression`, SARIF writes `suppressions`); ids that
   * are not in the session are ignored. @default none
   */
  readonly suppressions?: ReadonlyMap<string, ReportSuppression>;
  /**
   * Ids of the findings that are new since a baseline (an older session).
   * When given, every other listed finding is `unchanged` (SARIF
   * `baselineState`); when absent, findings have no baseline state.
   */
  readonly newFindings?: ReadonlySet<string>;
}

const SuppressionSchema = z.object({
  justification: z.string().refine((s) => s.trim() !== '', 'must not be blank'),
  expires: z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date YYYY-MM-DD or an ISO date-time' }).optional(),
});

const OptionsSchema = z.strictObject({
  maxFindings: z.number().int('must be an integer').min(0, 'must be 0 or more').optional(),
  groupBy: z.enum(GROUP_BY).optional(),
  minSeverity: z.enum(SEVERITIES).optional(),
  target: z.literal('github-comment').optional(),
  now: z.custom<() => number>((v) => typeof v === 'function', { message: 'must be a function returning epoch milliseconds' }).optional(),
  // Parsed once per report into a fresh Map/Set (entries reduced to justification and expiry): O(entries), never per finding.
  suppressions: z.map(z.string(), SuppressionSchema, { error: 'must be a Map of finding id to { justification, expires? }' }).optional(),
  newFindings: z.set(z.string(), { error: 'must be a Set of finding ids' }).optional(),
});

/** Validates a format name; throws a ValidationError naming it. */
export function checkFormat(format: unknown): ReportFormat {
  if (typeof format === 'string' && (REPORT_FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  throw new ValidationError(
    [{ code: 'invalid_value', path: ['format'], message: `unknown report format ${JSON.stringify(format)}; expected one of ${REPORT_FORMATS.join(', ')}` }],
    'generateReport',
  );
}

/** Validates report options; throws a ValidationError naming each bad option. */
export function checkReportOptions(options: unknown): ReportOptions {
  if (options === undefined) return {};
  const r = OptionsSchema.safeParse(options);
  if (!r.success) throw new ValidationError(fromZodIssues(r.error.issues, ['options']), 'generateReport');
  return r.data as ReportOptions;
}
