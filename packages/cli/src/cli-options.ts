/**
 * Every command and option of `fleet`, declared once. Parsing, `--help` and
 * the README's reference are all read from this table.
 */
import { GROUP_BY, IMPORT_FORMATS, REPORT_FORMATS, SEVERITIES, TIERS } from '@fleetkit/shared-context';

/** One option of a command. */
export interface OptionSpec {
  /** `string` takes a value; `boolean` is a flag. */
  readonly type: 'string' | 'boolean';
  /** One-letter alias. */
  readonly short?: string;
  /** One line for `--help`. */
  readonly description: string;
  /** Name of the value in `--help`, e.g. `FILE`. */
  readonly placeholder?: string;
  /** Allowed values, checked before the command runs. */
  readonly choices?: readonly string[];
  /** The value must be a whole number ≥ 0. */
  readonly count?: boolean;
  /** The command cannot run without it. */
  readonly required?: boolean;
  /** May be given more than once; the values come as an array. */
  readonly multiple?: boolean;
}

/** One command. */
export interface CommandSpec {
  /** One line for the command list. */
  readonly summary: string;
  /** Synopsis after `fleet <command>`. */
  readonly usage: string;
  /** Whether positional arguments are taken (and at least one needed). */
  readonly positionals: 'none' | 'required';
  /** The command's options (`--help` is added to every command). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Example invocations for `--help`. */
  readonly examples: readonly string[];
}

const session = { type: 'string', placeholder: 'FILE|ID', description: 'the session file written by `fleet import` (with a storage: the session id)', required: true } as const satisfies OptionSpec;
const store = {
  type: 'string',
  placeholder: 'URL|DIR',
  description: 'read sessions from this storage, a postgres:// URL or a directory (default: $FLEETKIT_STORE); --session and --baseline are then ids',
} as const satisfies OptionSpec;
const suppressions = { type: 'string', placeholder: 'FILE', description: 'suppressions file (default: ./fleet.suppressions.json when it exists)' } as const satisfies OptionSpec;
const json = { type: 'boolean', description: 'print JSON instead of text' } as const satisfies OptionSpec;

/** The commands of `fleet`. */
export const COMMANDS = {
  import: {
    summary: 'import findings files (SARIF, ESLint, reviewdog, fleet scanners) into a session',
    usage: '<files|dirs|globs...> --repo NAME [--out FILE] [options]',
    positionals: 'required',
    options: {
      repo: { type: 'string', placeholder: 'NAME', description: 'name of the repository the findings are about', required: true },
      out: { type: 'string', short: 'o', placeholder: 'FILE', description: 'where to write the session (default: fleet-session.json, unless it goes to a storage)' },
      store: { ...store, description: 'store the session in this storage, a postgres:// URL or a directory (default: $FLEETKIT_STORE), and add it to its history' },
      source: { type: 'string', placeholder: 'BOT', description: 'bot to credit when an input names no roster bot' },
      format: { type: 'string', placeholder: 'FORMAT', description: 'read every input as this format instead of detecting it', choices: IMPORT_FORMATS },
      'no-dedupe': { type: 'boolean', description: 'keep findings seen more than once as separate findings' },
      'max-size': { type: 'string', placeholder: 'SIZE', description: 'refuse files larger than this, e.g. 64MB (default: 256MB)' },
      strict: { type: 'boolean', description: 'exit 1 when any file or record was rejected' },
      json,
      quiet: { type: 'boolean', short: 'q', description: 'print nothing but errors; no progress line' },
    },
    examples: [
      'fleet import reports/ eslint.sarif --repo acme/web --out session.json',
      'fleet import "scans/**/*.json" --repo acme/web --strict',
      'FLEETKIT_STORE=postgres://fleet@db/fleet fleet import reports/ --repo acme/web',
    ],
  },
  report: {
    summary: 'write a report of a session',
    usage: '--session FILE [--format markdown|json|html|sarif] [--out FILE] [--baseline OLD] [options]',
    positionals: 'none',
    options: {
      session,
      format: { type: 'string', short: 'f', placeholder: 'FORMAT', description: `${REPORT_FORMATS.join(', ')} (default: markdown)`, choices: REPORT_FORMATS },
      out: { type: 'string', short: 'o', placeholder: 'FILE', description: 'write to this file instead of stdout' },
      'max-findings': { type: 'string', placeholder: 'N', description: 'list at most N findings', count: true },
      target: { type: 'string', placeholder: 'TARGET', description: 'github-comment: Markdown sized and marked for a PR comment', choices: ['github-comment'] },
      'group-by': { type: 'string', placeholder: 'KEY', description: `group findings by ${GROUP_BY.join(', ')} (default: severity)`, choices: GROUP_BY },
      'min-severity': { type: 'string', placeholder: 'SEVERITY', description: `leave out findings less severe than this (${SEVERITIES.join(', ')})`, choices: SEVERITIES },
      baseline: { type: 'string', placeholder: 'FILE|ID', description: 'an older session: mark each finding new or unchanged' },
      store,
      suppressions,
    },
    examples: [
      'fleet report --session session.json --format markdown --target github-comment --out comment.md',
      'fleet report --session session.json --baseline main-session.json --format sarif --out fleet.sarif',
    ],
  },
  health: {
    summary: 'show the health of a session',
    usage: '--session FILE [--json] | --store URL --session ID',
    positionals: 'none',
    options: { session, store, json },
    examples: ['fleet health --session session.json', 'fleet health --store "$FLEET_DB" --session 3f1c… --json'],
  },
  gate: {
    summary: 'the release gate: exit 1 when the findings block a release',
    usage: '--session FILE [--fail-on error|warning] [--max-errors N] [--max-warnings N] [--baseline OLD --new-only]',
    positionals: 'none',
    options: {
      session,
      'fail-on': { type: 'string', placeholder: 'SEVERITY', description: 'block on any finding this severe or worse (default: error)', choices: ['error', 'warning'] },
      'max-errors': { type: 'string', placeholder: 'N', description: 'block when there are more than N error findings', count: true },
      'max-warnings': { type: 'string', placeholder: 'N', description: 'block when there are more than N warning findings', count: true },
      baseline: { type: 'string', placeholder: 'FILE|ID', description: 'an older session: mark findings new, unchanged or absent' },
      'new-only': { type: 'boolean', description: 'gate only on findings that are new since --baseline' },
      store,
      suppressions,
      json,
    },
    examples: [
      'fleet gate --session session.json',
      'fleet gate --session session.json --baseline main-session.json --new-only --fail-on warning',
      'fleet gate --store "$FLEET_DB" --session 3f1c… --fail-on error',
    ],
  },
  run: {
    summary: 'run a fleet: each bot of the fleet file as a real command, in dependency order, concurrently, recorded live',
    usage: '[--config FILE] [--jobs N] [--only BOT...] [--store URL|DIR | --dashboard URL] [--out FILE] [--report FORMAT:FILE]... [--gate]',
    positionals: 'none',
    options: {
      config: { type: 'string', short: 'c', placeholder: 'FILE', description: 'the fleet file (default: ./fleet.config.json)' },
      jobs: { type: 'string', short: 'j', placeholder: 'N', description: "bots run at once (default: the fleet file's jobs, else the number of cores)", count: true },
      only: { type: 'string', placeholder: 'BOT', description: 'run only this bot (repeat for more); dependencies not named are not run nor waited for', multiple: true },
      store: {
        ...store,
        description: 'record the session in this storage as it runs, a postgres:// URL or a directory (default: $FLEETKIT_STORE), and add it to its history',
      },
      dashboard: { type: 'string', placeholder: 'URL', description: 'record the session through the API of a running dashboard (token: $FLEET_DASHBOARD_TOKEN)' },
      out: { type: 'string', short: 'o', placeholder: 'FILE', description: 'where to write the session (default: fleet-session.json, unless it goes to a storage or dashboard)' },
      report: { type: 'string', placeholder: 'FORMAT:FILE', description: `write a report at the end (${REPORT_FORMATS.join(', ')}); repeat for more`, multiple: true },
      gate: { type: 'boolean', description: "exit 1 when the release is blocked, by the fleet file's gate policy (and the three options below)" },
      'fail-on': { type: 'string', placeholder: 'SEVERITY', description: "with --gate: block on any finding this severe or worse (default: the fleet file's, else error)", choices: ['error', 'warning'] },
      'max-errors': { type: 'string', placeholder: 'N', description: 'with --gate: block when there are more than N error findings', count: true },
      'max-warnings': { type: 'string', placeholder: 'N', description: 'with --gate: block when there are more than N warning findings', count: true },
      json,
      quiet: { type: 'boolean', short: 'q', description: 'print nothing while the bots run; only the final table and errors' },
    },
    examples: [
      'fleet run',
      'fleet run --config examples/self-check/fleet.config.json --report markdown:comment.md --report sarif:fleet.sarif --gate',
      'fleet run --only panicbot --only seambot --jobs 2',
      'FLEETKIT_STORE=./fleet-data fleet run    # then: fleet … dashboard --store ./fleet-data shows it live',
    ],
  },
  bots: {
    summary: 'list the bot roster',
    usage: '[--tier TIER] [--json]',
    positionals: 'none',
    options: {
      tier: { type: 'string', placeholder: 'TIER', description: `only bots of this tier (${TIERS.join(', ')})`, choices: TIERS },
      json,
    },
    examples: ['fleet bots', 'fleet bots --tier verifier'],
  },
} as const satisfies Record<string, CommandSpec>;

/** A command name. */
export type CommandName = keyof typeof COMMANDS;

/** The parsed values of a command's options: strings for value options, booleans for flags. */
export type OptionValues<C extends CommandName> = {
  readonly [K in keyof (typeof COMMANDS)[C]['options']]: (typeof COMMANDS)[C]['options'][K] extends { type: 'boolean' }
    ? boolean
    : (typeof COMMANDS)[C]['options'][K] extends { multiple: true }
      ? readonly string[] | undefined
      : string | undefined;
};

/** True for a command name. */
export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
