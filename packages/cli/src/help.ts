/** `--help` text, generated from the option table. */
import type { CommandName, CommandSpec, OptionSpec } from './cli-options.js';
import { COMMANDS } from './cli-options.js';

/** The overview: every command with its summary. */
export function mainHelp(version: string): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length));
  return [
    `fleet ${version}: run a fleet of bots, import findings, report, check health and gate releases`,
    '',
    'Usage: fleet <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
    '',
    'Run `fleet <command> --help` for the options of a command.',
    'Exit codes: 0 success, 1 release blocked (gate) or rejected input (import --strict), 2 usage error or unusable input,',
    '3 a bot of `fleet run` failed, 130 `fleet run` interrupted (Ctrl-C; 143 for SIGTERM).',
    'Colour is used on terminals only, and never when NO_COLOR is set.',
    '',
  ].join('\n');
}

/** The help of one command. */
export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const rows: [string, string][] = Object.entries(spec.options).map(([opt, o]: [string, OptionSpec]) => [
    `${o.short === undefined ? '    ' : `-${o.short}, `}--${opt}${o.type === 'string' ? ` ${o.placeholder ?? 'VALUE'}` : ''}`,
    `${o.description}${o.required === true ? ' (required)' : ''}${o.multiple === true ? ' (repeatable)' : ''}`,
  ]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `fleet ${name}: ${spec.summary}`,
    '',
    `Usage: fleet ${name} ${spec.usage}`,
    '',
    'Options:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}
