/**
 * @fleetkit/dashboard — web dashboard and HTTP API for fleetkit sessions,
 * with live updates and metrics. The typed client is `@fleetkit/dashboard/client`.
 */
export { createDashboard } from './server.js';
export { DASHBOARD_ERROR_CODES, DashboardConfigError, HttpError } from './errors.js';
export { isLoopback } from './options.js';
export { PAGE_CSP, REPORT_CSP } from './security.js';
export { runDemoFleet } from './demo.js';
export type { Dashboard } from './server.js';
export type { DashboardOptions, ResolvedOptions } from './options.js';
export type { DashboardErrorCode, ErrorBody, HttpIssue } from './errors.js';
export type { FindingFilters, FindingPage } from './findings-query.js';
export type { LiveBot, LiveDelta, LiveFindings, LiveState } from './live-state.js';
export type { HeldSession } from './counted-session.js';
export type { DemoOptions } from './demo.js';
export type { SessionBotInput, SessionBotSpec } from './session-bots.js';
