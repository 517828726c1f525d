/**
 * @fleetkit/cli — the `fleet` command line, and the pure pieces it is made of
 * for programs that want the same gate and suppressions without a shell.
 */
export { main, VERSION } from './main.js';
export { COMMANDS } from './cli-options.js';
export { CLI_ERROR_CODES, CliError, EXIT, UsageError } from './errors.js';
export { evaluateGate } from './gate.js';
export { compareWithBaseline } from './baseline.js';
export { SUPPRESSIONS_FILE, SuppressionsFileSchema, applySuppressions, loadSuppressions } from './suppressions.js';

export type { CommandName, CommandSpec, OptionSpec, OptionValues } from './cli-options.js';
export type { CliErrorCode } from './errors.js';
export type { GateCondition, GatePolicy, GateVerdict } from './gate.js';
export type { BaselineComparison } from './baseline.js';
export type { Suppression, SuppressionOverLimit, SuppressionResult } from './suppressions.js';
export type { Io } from './output.js';
