/** The `fleet` entry point: picks the command, parses its options, runs it and turns errors into exit codes. */
import { createRequire } from 'node:module';
import { FleetError } from '@fleetkit/shared-context';
import { parseCommandArgs } from './args.js';
import type { CommandName } from './cli-options.js';
import { COMMANDS, isCommand } from './cli-options.js';
import { CliError, EXIT, UsageError } from './errors.js';
import { commandHelp, mainHelp } from './help.js';
import type { Io } from './output.js';
import { line } from './output.js';

/** The version of this package. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/**
 * Runs `fleet` with `argv` (the arguments after the program name) and
 * returns the exit code; never throws for bad input or usage.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    io.stdout.write(topic !== undefined && isCommand(topic) ? commandHelp(topic) : mainHelp(VERSION));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    line(io.stdout, VERSION);
    return EXIT.ok;
  }
  try {
    if (!isCommand(name)) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return await run(name, rest, io);
  } catch (err) {
    return reportError(err, io);
  }
}

// Each command is loaded when it runs: `fleet run` starts bots without loading the report or import code it does not use.
async function run(name: CommandName, argv: readonly string[], io: Io): Promise<number> {
  switch (name) {
    case 'import': {
      const a = parseCommandArgs('import', argv);
      return a.help ? help(name, io) : (await import('./commands/import.js')).runImport(a.values, a.positionals, io);
    }
    case 'report': {
      const a = parseCommandArgs('report', argv);
      return a.help ? help(name, io) : (await import('./commands/report.js')).runReport(a.values, io);
    }
    case 'health': {
      const a = parseCommandArgs('health', argv);
      return a.help ? help(name, io) : (await import('./commands/health.js')).runHealth(a.values, io);
    }
    case 'gate': {
      const a = parseCommandArgs('gate', argv);
      return a.help ? help(name, io) : (await import('./commands/gate.js')).runGate(a.values, io);
    }
    case 'run': {
      const a = parseCommandArgs('run', argv);
      return a.help ? help(name, io) : (await import('./commands/run.js')).runRun(a.values, io);
    }
    case 'bots': {
      const a = parseCommandArgs('bots', argv);
      return a.help ? help(name, io) : (await import('./commands/bots.js')).runBots(a.values, io);
    }
  }
}

function help(name: CommandName, io: Io): number {
  io.stdout.write(commandHelp(name));
  return EXIT.ok;
}

function reportError(err: unknown, io: Io): number {
  if (err instanceof UsageError) {
    line(io.stderr, `fleet${err.command === undefined ? '' : ` ${err.command}`}: ${err.message}`);
    line(io.stderr, `Run \`fleet${err.command === undefined ? '' : ` ${err.command}`} --help\` for usage.`);
    return EXIT.usage;
  }
  if (err instanceof CliError || err instanceof FleetError) {
    line(io.stderr, `fleet: ${err.message}`);
    return EXIT.usage;
  }
  // A bug, not bad input: say so with the stack, and still exit through exitCode.
  line(io.stderr, `fleet: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 70;
}
