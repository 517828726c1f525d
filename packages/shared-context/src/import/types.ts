/** The public types of finding import: formats, options, results and rejections. */
import type { BotId } from '../bots/roster.js';
import type { Finding } from '../findings/finding.js';
import type { PathSegment } from '../issue.js';

/**
 * Every input shape `importFindings` reads. The first four are fleetkit's own
 * JSON; `scanner-*`, `scan-report` and `dispatch-record` are the shapes found
 * in the original fleet's findings directory.
 */
export const IMPORT_FORMATS = [
  'fleetkit-finding',
  'fleetkit-findings',
  'fleetkit-context',
  'fleetkit-report',
  'sarif',
  'eslint',
  'rdjson',
  'rdjsonl',
  'scanner-submission',
  'scanner-array',
  'scan-report',
  'dispatch-record',
] as const;

/** One of {@link IMPORT_FORMATS}. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Why something was rejected; stable, for programs to switch on. */
export const REJECTION_CODES = [
  'empty',
  'filename_only',
  'log_text',
  'invalid_json',
  'too_large',
  'too_deep',
  'unknown_format',
  'invalid_shape',
  'unknown_severity',
  'invalid_finding',
  'unreadable',
  'not_a_file',
] as const;

/** One of {@link REJECTION_CODES}. */
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** Something that could not be imported: the whole input (path `[]`) or one item of it. */
export interface RejectedItem {
  /** Where in the input, e.g. `['runs', 0, 'results', 3]`; `[]` for the whole input. */
  readonly path: readonly PathSegment[];
  /** Machine-readable reason. */
  readonly code: RejectionCode;
  /** Why, for people. */
  readonly reason: string;
}

/** What {@link importFindings} returns. */
export interface ImportResult {
  /** Findings read (de-duplicated unless `dedupe: false`). */
  readonly findings: Finding[];
  /** Everything that could not be read, each with its path and reason. */
  readonly rejected: RejectedItem[];
  /** The shape detected, or undefined when the input was not recognised. */
  readonly format: ImportFormat | undefined;
}

/** Options of {@link importFindings}. */
export interface ImportOptions {
  /** Bot to attribute findings to when the input names no roster bot. @default a custom bot named after the tool */
  readonly source?: BotId;
  /** Read the input as this format instead of detecting it. */
  readonly format?: ImportFormat;
  /** Merge findings with the same fingerprint, counting sightings in `metadata.sightings`. @default true */
  readonly dedupe?: boolean;
  /** Largest text input accepted, in bytes (UTF-16 code units for strings). @default 268435456 (256 MB) */
  readonly maxBytes?: number;
  /** Deepest nesting of arrays and objects accepted. @default 256 */
  readonly maxDepth?: number;
  /** Absolute file paths under this directory are made relative to it. */
  readonly rootDir?: string;
  /** Clock for `createdAt` of findings that carry no time, epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** Default {@link ImportOptions.maxBytes}: 256 MB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** Default {@link ImportOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 256;
