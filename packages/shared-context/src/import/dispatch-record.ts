/**
 * One-finding dispatch records of the original fleet (`pending/*.json`): a
 * `pattern_id` such as `PA004-raw-pointer-cast-in-src-ffi-c-`, a description,
 * a recipe and the strategy the fleet chose to fix it.
 */
import type { JsonObject } from '../json-value.js';
import type { ReaderContext, ReaderOutput } from './record.js';
import { bool, confidence, importMetadata, isRecord, str, unknownSeverity } from './record.js';
import { mapSeverity, SEVERITY_SPELLINGS } from './severity-map.js';
import { resolveSource } from './source-bot.js';

/** True for a dispatch record: an object with a string `pattern_id`. */
export function isDispatchRecord(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.pattern_id === 'string';
}

/** Reads a dispatch record. */
export function readDispatchRecord(value: Record<string, unknown>, ctx: ReaderContext): ReaderOutput {
  const severity = mapSeverity(value.severity);
  if (severity === undefined) return { candidates: [], rejected: [unknownSeverity([], value.severity, SEVERITY_SPELLINGS)] };
  const patternId = value.pattern_id as string;
  // `PA004-raw-pointer-cast-…`: the code before the first dash is the rule; the rest names this occurrence.
  const rule = /^([A-Za-z]+\d+)(?:-|$)/.exec(patternId)?.[1] ?? patternId;
  const category = str(value.category) ?? '';
  return {
    rejected: [],
    candidates: [
      {
        path: [],
        scope: str(value.repo),
        input: {
          source: resolveSource([value.scanner, value.source], ctx.source),
          ruleId: rule,
          ruleName: category === '' ? rule : category,
          severity,
          message: str(value.description) ?? patternId,
          category,
          fixable: bool(value.auto_fixable),
          confidence: confidence(value.confidence),
          recipeId: str(value.recipe_id),
          createdAt: isoOrUndefined(value.timestamp),
          metadata: importMetadata('dispatch-record', value.severity, value as JsonObject),
        },
      },
    ],
  };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time with offset, else undefined (the record keeps the original anyway). */
export function isoOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && ISO.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
}
