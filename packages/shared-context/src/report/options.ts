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
}

const OptionsSchema = z.strictObject({
  maxFindings: z.number().int('must be an integer').min(0, 'must be 0 or more').optional(),
  groupBy: z.enum(GROUP_BY).optional(),
  minSeverity: z.enum(SEVERITIES).optional(),
  target: z.literal('github-comment').optional(),
  now: z.custom<() => number>((v) => typeof v === 'function', { message: 'must be a function returning epoch milliseconds' }).optional(),
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
