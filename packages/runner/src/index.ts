/**
 * @fleetkit/runner — the fleet's execution layer: a fleet file validated with
 * zod (its JSON Schema is `@fleetkit/runner/fleet.schema.json`), resolved into
 * a plan, and a scheduler that runs each bot as a real command, in dependency
 * order and concurrently, recording the session as it changes.
 */
export { FleetConfigError, RUNNER_ERROR_CODES, RunStorageError, RunnerError } from './errors.js';

export type { ConfigIssue, RunnerErrorCode } from './errors.js';
export type { BotCommand, BotOutput, FleetGatePolicy, FleetPlan, PlannedBot, PlannedReport } from './fleet-plan.js';
export { runFleet } from './scheduler.js';
export { RecordingQueue } from './recorder.js';
export { APPEND_BATCH, batchKey, storageRecorder } from './storage-recorder.js';
export { runBot, failureMessage } from './bot-run.js';
export { STDERR_TAIL_BYTES } from './bot-process.js';
export { formatDuration } from './duration.js';

export type { RunFleetOptions } from './scheduler.js';
export type { RunRecorder } from './recorder.js';
export type { BotRunOutcome } from './bot-run.js';
export type { BotProcessOptions, ProcessEnd } from './bot-process.js';
export type { BotResult, RunEvent, RunResult, SeverityCounts } from './run-result.js';
export { FleetConfigSchema, fleetConfigJsonSchema } from './config/schema.js';
export { loadFleetConfig, parseFleetConfig } from './config/load.js';
export { loadFleetPlan, planFleet } from './config/plan.js';
export type { FleetConfig } from './config/schema.js';
export type { PlanOptions } from './config/plan.js';
