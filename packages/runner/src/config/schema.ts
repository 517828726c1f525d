/**
 * The fleet file (`fleet.config.json`): its zod schema, and the JSON Schema
 * derived from it (`@fleetkit/runner/fleet.schema.json`) for editors. The
 * schema checks the shape of the file and each field on its own; what needs
 * the whole file (ids, dependencies, tiers) is checked by `planFleet`.
 */
import { IMPORT_FORMATS, REPORT_FORMATS, ROSTER_BOTS, TIERS, parseBotId } from '@fleetkit/shared-context';
import { z } from 'zod';
import { DURATION_PATTERN, MAX_TIMEOUT_MS, timeoutMs } from './timeout.js';

/** A custom bot id: lower-case kebab-case, starting with a letter. */
export const CUSTOM_BOT_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The library's limit on bot ids (shared-context's BotIdSchema). */
const MAX_BOT_ID_LENGTH = 200;

/** The canonical id of a bot as written: the roster id for any of its spellings, else as written. */
export function canonicalBotId(written: string): string {
  return parseBotId(written) ?? written;
}

const rosterIds = ROSTER_BOTS.map((b) => b.id);

const BotIdSchema = z
  .string()
  .superRefine((id, ctx) => {
    if (parseBotId(id) !== undefined) return;
    if (id === '') ctx.addIssue({ code: 'custom', message: 'must not be empty' });
    else if (!CUSTOM_BOT_ID.test(id) || id.length > MAX_BOT_ID_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(id)} is not a roster bot, nor a custom id (lower-case kebab-case such as "my-linter", at most ${MAX_BOT_ID_LENGTH} characters)`,
      });
    }
  })
  // Roster bots may be written as people write them (`Finishing-Bot`); everything after this sees the roster id.
  .overwrite(canonicalBotId);

// A dependency is only checked for being a bot of the file (by planFleet), so an unknown name gets "unknown bot", not a format complaint.
const BotRefSchema = z.string().min(1, 'must not be empty').overwrite(canonicalBotId).describe('The id of another bot of this file (roster spellings are accepted).');

const nonEmpty = (what: string): z.ZodString => z.string().min(1, `${what} must not be empty`);

const TimeoutSchema = z.union(
  [
    z
      .number()
      .positive('must be more than 0 seconds')
      .max(MAX_TIMEOUT_MS / 1000, 'must be at most 24 days (2073600 seconds)'),
    z
      .string()
      .regex(DURATION_PATTERN, { message: 'must be a duration such as "500ms", "30s", "1.5s", "10m" or "1h"', abort: true })
      .refine((s) => timeoutMs(s) > 0, 'must be more than no time')
      .refine((s) => timeoutMs(s) <= MAX_TIMEOUT_MS, 'must be at most 24 days'),
  ],
  // A missing value falls through to the parse's error map, which calls it required.
  { error: (issue) => (issue.input === undefined ? undefined : 'must be seconds (a positive number), or a duration such as "500ms", "30s", "1.5s", "10m" or "1h"') },
);

const RunSchema = z.union(
  [
    z
      .array(z.string())
      .min(1, 'must not be empty: the first element is the program')
      .superRefine((argv, ctx) => {
        if (argv[0] === '') ctx.addIssue({ code: 'custom', path: [0], message: 'the program must not be empty' });
      }),
    z.string().min(1, 'the script must not be empty'),
  ],
  // A missing value falls through to the parse's error map, which calls it required.
  { error: (issue) => (issue.input === undefined ? undefined : 'must be an argv array of strings such as ["npx", "eslint", "."], or a script string with "shell": true') },
);

const BotSchema = z
  .strictObject({
    id: BotIdSchema.meta({
      description:
        'The bot: a roster bot (any of its spellings, e.g. "panicbot", "Finishing-Bot") or a custom bot, whose id is lower-case kebab-case.',
      examples: rosterIds,
    }),
    name: nonEmpty('the name').optional().describe('Display name; default: the roster name, or the id of a custom bot.'),
    tier: z
      .enum(TIERS)
      .optional()
      .describe('The tier the bot runs in. Required for a custom bot; for a roster bot it may be left out, and if given must be its roster tier.'),
    run: RunSchema.describe(
      'The command: an argv array run without a shell (e.g. ["npx", "eslint", "-f", "json", "."]), or a script string run by /bin/sh -c when "shell" is true.',
    ),
    shell: z.boolean().default(false).describe('Run "run" (then a string) through /bin/sh -c.'),
    dependsOn: z
      .array(BotRefSchema)
      .optional()
      .describe(
        "Bots that must be done before this one starts, by id; replaces the roster's dependencies. Default: the roster's dependencies that are in this file (none for a custom bot).",
      ),
    cwd: nonEmpty('the directory').optional().describe('Working directory, relative to the repository root; default: the root.'),
    env: z
      .record(
        z.string().regex(/^[^=\0]+$/, 'an environment variable name must not be empty nor contain "="'),
        z.string().describe('Value of the variable.'),
      )
      .optional()
      .describe('Environment variables added to the environment of the run.'),
    timeout: TimeoutSchema.optional().describe(
      'Time allowed: seconds as a number, or a duration such as "500ms", "30s", "10m", "1h". Default: the top-level timeout.',
    ),
    output: nonEmpty('the output')
      .default('stdout')
      .describe('Where the findings are read from: "stdout", or the path of a file the command writes, relative to the bot\'s working directory.'),
    format: z.enum(IMPORT_FORMATS).optional().describe("The output's format; detected when left out."),
    okExitCodes: z
      .array(z.number().int('must be a whole number').min(0, 'must be 0 to 255').max(255, 'must be 0 to 255'))
      .min(1, 'must list at least one exit code')
      .default([0, 1])
      .describe('Exit codes that mean the bot ran (most linters exit 1 when they find something).'),
    allowFailure: z.boolean().default(false).describe('A failure of this bot neither skips its dependents nor fails the run.'),
    files: z
      .array(nonEmpty('a glob').describe('A glob, relative to the repository root.'))
      .min(1, 'must list at least one glob (leave "files" out to always run)')
      .optional()
      .describe('Globs relative to the repository root: the bot is skipped when none matches a file. Default: always run.'),
  })
  .superRefine((bot, ctx) => {
    // Which of the two shapes "run" takes depends on "shell"; a mismatch is a mistake, not something to guess at.
    const issue = runShellIssue(bot);
    if (issue !== undefined) ctx.addIssue({ code: 'custom', path: ['run'], message: issue });
  })
  .describe('One bot of the fleet and the command that runs it.');

const ReportSchema = z
  .strictObject({
    format: z.enum(REPORT_FORMATS).describe('The report format.'),
    out: nonEmpty('the path').describe("The report's file, relative to the fleet file's directory."),
  })
  .describe('A report written at the end of the run.');

const GateSchema = z
  .strictObject({
    failOn: z.enum(['error', 'warning']).optional().describe('The least severity that fails the gate.'),
    maxErrors: z.number().int('must be a whole number').min(0, 'must be 0 or more').optional().describe('Errors allowed before the gate fails.'),
    maxWarnings: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .optional()
      .describe('Warnings allowed before the gate fails.'),
  })
  .describe('Gate policy, used by `fleet run --gate`.');

/** zod schema of a fleet file. */
export const FleetConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema of this file, for editors.'),
    repo: nonEmpty('the repository name').optional().describe("The repository's name; default: the name of the root directory."),
    root: nonEmpty('the root').optional().describe("The repository root, relative to the fleet file's directory; default: that directory."),
    jobs: z
      .number()
      .int('must be a whole number')
      .positive('must be 1 or more')
      .optional()
      .describe('How many bots run at once; default: the number of cores.'),
    timeout: TimeoutSchema.default('10m').describe(
      'Default time allowed to every bot: seconds as a number, or a duration such as "500ms", "30s", "10m", "1h".',
    ),
    reports: z.array(ReportSchema).optional().describe('Reports written at the end of the run.'),
    gate: GateSchema.optional(),
    bots: z.array(BotSchema).min(1, 'must list at least one bot').describe('The bots of the fleet, run in dependency order.'),
  })
  .meta({
    title: 'fleetkit fleet file',
    description: 'A fleet of code-quality bots, each run as a command (fleet.config.json).',
  });

/** A fleet file, validated, with defaults applied and bot ids in their roster spelling. */
export type FleetConfig = z.output<typeof FleetConfigSchema>;

/** One bot of a {@link FleetConfig}. */
export type FleetBotConfig = FleetConfig['bots'][number];

/**
 * Why a bot's `run` does not fit its `shell` setting, or undefined when it
 * does: a string needs `shell: true`, and `shell: true` needs a string.
 */
export function runShellIssue(bot: { readonly run: unknown; readonly shell?: boolean | undefined }): string | undefined {
  if (typeof bot.run === 'string' && bot.shell !== true) {
    return 'a string is run by a shell: use an argv array such as ["npx", "eslint", "."], or set "shell": true';
  }
  if (Array.isArray(bot.run) && bot.shell === true) {
    return 'with "shell": true, "run" must be a string (the script for /bin/sh -c), not an argv array';
  }
  return undefined;
}

/**
 * JSON Schema (draft-07, which editors support best) of the fleet file as
 * written: optional fields with defaults show their default.
 */
export function fleetConfigJsonSchema(): z.core.JSONSchema.BaseSchema {
  return z.toJSONSchema(FleetConfigSchema, { io: 'input', target: 'draft-07' });
}
