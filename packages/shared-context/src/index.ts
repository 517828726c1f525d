/**
 * @fleetkit/shared-context — the shared session of a fleet of code-quality bots.
 * Every public name is listed here; nothing else is part of the API.
 */

// ── findings ──
export { SEVERITIES, atLeast, compareSeverity, isSeverity, severityRank } from './findings/severity.js';
export { FindingInputSchema, createFinding, findingFingerprint, locationString, normaliseMessage } from './findings/finding.js';
export { FindingSet } from './findings/finding-set.js';
export { FindingJSONSchema } from './findings/finding-json-schema.js';

// ── bots ──
export { TIERS, isTier, tierOrder } from './bots/tier.js';
export { ROSTER_BOTS, STANDARD_BOTS, botInfo, parseBotId } from './bots/roster.js';

// ── context ──
export { Context } from './context/context.js';
export { summarize } from './context/summary.js';
export { EXECUTION_STATUSES, canTransition } from './context/execution.js';
export { BotExecutionSchema, BotInfoSchema, CONTEXT_SCHEMA_VERSION, ContextJSONSchema } from './context/schema.js';

// ── health ──
export { ALERT_CATEGORIES, ALERT_SEVERITIES, HEALTH_STATUSES } from './health/types.js';
export { computeHealth } from './health/check.js';
export { ContextHealthCache, HealthCacheRegistry, checkHealthNow, sessionHealthCache } from './health/cache.js';
export { startHealthMonitor } from './health/monitor.js';
export { DEFAULT_HISTORY_WINDOW } from './health/options.js';
export { HIGH_ERROR_RATE, LONG_EXECUTION_MS, LOW_SUCCESS_RATE, SLOW_FACTOR, SLOW_MIN_RUNS } from './health/anomalies.js';
export { SYSTEM_ERROR_RATE, healthScore, overallStatus } from './health/score.js';

// ── import ──
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, IMPORT_FORMATS, REJECTION_CODES } from './import/types.js';
export { importFindings } from './import/import-findings.js';
export { importFindingsFile } from './import/read-file.js';
export { detectFormat } from './import/detect.js';
export { dedupeFindings, sightingsOf } from './import/dedupe.js';
export { mapSeverity } from './import/severity-map.js';

// ── report ──
export { generateReport, writeReport } from './report/generate.js';
export { baselineStateOf, buildReport, suppressionOf } from './report/model.js';
export { BASELINE_STATES, GROUP_BY, REPORT_FORMATS } from './report/options.js';
export { REPORT_SCHEMA_VERSION, ReportJSONSchema } from './report/json-schema.js';
export { parseReport } from './report/json.js';
export { GITHUB_COMMENT_LIMIT, commentMarker } from './report/markdown.js';
export { SARIF_MAX_RESULTS } from './report/sarif.js';
export { escapeHtml, escapeMarkdown } from './report/escape.js';

// ── errors ──
export {
  BotNotRegisteredError,
  DependenciesNotDoneError,
  DuplicateFindingError,
  ERROR_CODES,
  FleetError,
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  NotFoundError,
  StorageError,
  StorageUnavailableError,
  ValidationError,
} from './errors.js';
export { formatPath } from './issue.js';

// ── storage ──
export { ContextStorage } from './storage/context-storage.js';
export { contextJSONChunks, sessionStateJSON } from './storage/session-file.js';
export { MAX_PAGE_LIMIT, botsOfTier, checkFindingQuery, checkTallyQuery, filterKey, findingMatcher, isUnfiltered, pageOfFindings } from './storage/finding-filters.js';
export { tallyGroupsOf, tallyOfFindings } from './storage/finding-tally.js';
export { batchFingerprint, checkIdempotencyKey } from './storage/idempotency.js';

// ── history ──
export { REPO_HISTORY_LIMIT, RepoStateSchema, SessionRecordSchema, TRENDS, readSessionRecords } from './history/repo-state.js';
export { foldedInto, sessionRecordOf, trendOf, updateRepoState } from './history/update-repo-state.js';

export type { Severity } from './findings/severity.js';
export type { CreateFindingOptions, Finding, FindingInput, FingerprintOptions } from './findings/finding.js';
export type { FindingSetEvent, FindingSetOptions } from './findings/finding-set.js';
export type { Tier } from './bots/tier.js';
export type { BotId, BotInfo } from './bots/roster.js';
export type { ContextEvent } from './context/events.js';
export type { CompletionCounts, StartBotOptions } from './context/lifecycle.js';
export type { ContextOptions } from './context/options.js';
export type { ContextSummary, FindingCounts, FindingsView, SessionCountsView, SessionView } from './context/session-view.js';
export type {
  BotExecution,
  CompletedExecution,
  ExecutionStatus,
  FailedExecution,
  PendingExecution,
  RunningExecution,
  SkippedExecution,
} from './context/execution.js';
export type { BotInfoInput, ContextJSON } from './context/schema.js';
export type { ErrorCode } from './errors.js';
export type { ReportBot, ReportGroup, ReportModel } from './report/model.js';
export type { BaselineState, GroupBy, ReportFormat, ReportOptions, ReportSuppression } from './report/options.js';
export type { ReportJSON } from './report/json-schema.js';
export type { ImportFormat, ImportOptions, ImportResult, RejectedItem, RejectionCode } from './import/types.js';
export type { FileImportResult } from './import/read-file.js';
export type {
  AlertCategory,
  AlertSeverity,
  BotHealth,
  FleetHealth,
  HealthAlert,
  HealthStatus,
  SystemMetrics,
  TierHealth,
} from './health/types.js';
export type { HealthInput } from './health/check.js';
export type { HealthCacheRegistryOptions, HealthCacheStats } from './health/cache.js';
export type { HealthCheckOptions } from './health/options.js';
export type { HealthMonitor, HealthMonitorOptions } from './health/monitor.js';
export type { ScoreInput } from './health/score.js';
export type { Issue, PathSegment } from './issue.js';
export type { JsonObject, JsonValue } from './json-value.js';
export type { FileSessionListing, StorageOptions } from './storage/context-storage.js';
export type {
  AppendOptions,
  AppendResult,
  FindingFilters,
  FindingPageRequest,
  HistoryOptions,
  LoadOptions,
  SessionListing,
  SessionStorage,
  StorageChange,
  StorageEvent,
  StoredFindingPage,
  FindingTally,
  TallyGroup,
  TallyRange,
} from './storage/session-storage.js';
export type { BotRunRecord, PersistentFinding, RepoState, SessionRecord, Trend } from './history/repo-state.js';
