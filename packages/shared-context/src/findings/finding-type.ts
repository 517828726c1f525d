/** The shape of a finding: a problem a bot found. */
import type { BotId } from '../bots/roster.js';
import type { JsonObject } from '../json-value.js';
import type { Severity } from './severity.js';

/** A problem a bot found. Findings are data; reporters turn them into text. */
export interface Finding {
  /** Unique id within a session (a random UUID unless given). */
  readonly id: string;
  /** The bot that produced the finding. */
  readonly source: BotId;
  /** Stable rule id, e.g. `missing-license`. */
  readonly ruleId: string;
  /** Human name of the rule; defaults to `ruleId`. */
  readonly ruleName: string;
  /** How bad it is; only `error` blocks a release. */
  readonly severity: Severity;
  /** What is wrong. */
  readonly message: string;
  /** Category, e.g. `static-analysis/panic-path`; may be empty. */
  readonly category: string;
  /** File path, relative to the repository root. */
  readonly file?: string;
  /** 1-based line. */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
  /** The element involved (a function, a tag, a key …). */
  readonly element?: string;
  /** How to fix it. */
  readonly suggestion?: string;
  /** Whether a bot can fix it. */
  readonly fixable: boolean;
  /** Whether it has been fixed in this session. */
  readonly fixed: boolean;
  /** When it was created, ISO 8601. */
  readonly createdAt: string;
  /** Ids of related findings. */
  readonly related: readonly string[];
  /** Free-form JSON data (the original record of an imported finding, …). */
  readonly metadata: Readonly<JsonObject>;
  /** Id of a fix recipe. */
  readonly recipeId?: string;
  /** Confidence in the finding, 0..1. */
  readonly confidence?: number;
}
