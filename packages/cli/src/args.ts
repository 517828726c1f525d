/** Turns argv into a command's typed option values, with usage errors that name the option. */
import { parseArgs } from 'node:util';
import type { CommandName, CommandSpec, OptionSpec, OptionValues } from './cli-options.js';
import { COMMANDS } from './cli-options.js';
import { UsageError } from './errors.js';

/** A parsed command line of one command. */
export interface ParsedArgs<C extends CommandName> {
  readonly values: OptionValues<C>;
  readonly positionals: readonly string[];
  /** `--help` was given. */
  readonly help: boolean;
}

/** Parses the arguments after the command name. Throws {@link UsageError}. */
export function parseCommandArgs<C extends CommandName>(command: C, argv: readonly string[]): ParsedArgs<C> {
  const spec: CommandSpec = COMMANDS[command];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options) as [string, OptionSpec][]) {
    options[name] = { type: o.type, ...(o.short === undefined ? {} : { short: o.short }), ...(o.multiple === true ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (err) {
    throw new UsageError(cleanParseError(err), command);
  }
  if (parsed.values.help === true) return { values: parsed.values as OptionValues<C>, positionals: parsed.positionals, help: true };
  if (spec.positionals === 'none' && parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`, command);
  }
  if (spec.positionals === 'required' && parsed.positionals.length === 0) throw new UsageError('no input given', command);
  for (const [name, o] of Object.entries(spec.options) as [string, OptionSpec][]) {
    const v = parsed.values[name];
    if (v === undefined) {
      if (o.required === true) throw new UsageError(`missing required option --${name}`, command);
      continue;
    }
    for (const one of Array.isArray(v) ? v : [v]) {
      if (typeof one !== 'string') continue;
      if (o.choices !== undefined && !o.choices.includes(one)) throw new UsageError(`--${name} must be one of ${o.choices.join(', ')} (got "${one}")`, command);
      if (o.count === true && !/^\d+$/.test(one)) throw new UsageError(`--${name} must be a whole number ≥ 0 (got "${one}")`, command);
    }
  }
  return { values: parsed.values as OptionValues<C>, positionals: parsed.positionals, help: false };
}

/** A count option's value as a number (already checked by {@link parseCommandArgs}). */
export function countValue(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i;
const UNIT: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** Parses a size like `64MB`, `512k` or `1000` (bytes). Throws {@link UsageError}. */
export function sizeValue(v: string, option: string, command: string): number {
  const m = SIZE.exec(v.trim());
  if (m === null) throw new UsageError(`--${option} must be a size such as 64MB or 1000 (got "${v}")`, command);
  return Math.floor(Number(m[1]) * (UNIT[(m[2] ?? 'b').toLowerCase()] ?? 1));
}

function cleanParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // node:util's messages end with advice about `--` that does not fit here.
  return message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option '(.*?)'$/, 'unknown option $1');
}
