/**
 * The typed client of the dashboard API, for programs ("dashboard
 * consumers"): one method per endpoint, and `subscribe` for live updates.
 * It needs only `fetch` (Node ≥ 20 or a browser) and imports no runtime code.
 *
 * @example
 * const client = createDashboardClient({ baseUrl: 'http://127.0.0.1:8080', token });
 * const { sessionId } = await client.createSession({ repoName: 'acme/web' });
 * await client.addFindings(sessionId, [{ source: 'sentinelbot', ruleId: 'SEC-1', severity: 'error', message: 'secret' }]);
 */
import type {
  BotExecution,
  BotInfo,
  CompletionCounts,
  ContextSummary,
  Finding,
  FindingInput,
  FleetHealth,
  HealthStatus,
  ReportFormat,
  SessionRecord,
  Severity,
  Tier,
  Trend,
} from '@fleetkit/shared-context';
import type { ErrorBody, HttpIssue } from './errors.js';
import type { SessionBotInput } from './session-bots.js';
import type { FindingFilters, FindingPage } from './findings-query.js';
import type { LiveDelta, LiveState } from './live-state.js';
import { SseParser } from './sse.js';

/** Options of {@link createDashboardClient}. */
export interface DashboardClientOptions {
  /** Base URL of the dashboard, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** Bearer token, needed for writes (it reads too). */
  readonly token?: string;
  /** Bearer token for reads, when the dashboard needs one (`--read-token`). @default token */
  readonly readToken?: string;
  /** A fetch implementation. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Attempts of a batch of findings after the first, when the answer does not
   * come (a network error, a timeout) or says "later" (429, 502, 503, 504).
   * Safe: every attempt carries the batch's Idempotency-Key, so a batch the
   * server stored before the answer was lost is not added twice. @default 4
   */
  readonly retries?: number;
  /** Wait before the first retry, ms; doubled each time (up to 10 s), or the server's Retry-After. @default 250 */
  readonly retryDelayMs?: number;
  /** Time allowed for one attempt of a write, ms. @default 30000 */
  readonly timeoutMs?: number;
}

/** Options of {@link DashboardClient.addFindings}. */
export interface AddFindingsOptions {
  /** Names the batch; a random UUID when not given. Reuse it only to send the very same batch again. */
  readonly idempotencyKey?: string;
}

/** Body of {@link DashboardClient.createSession}. */
export interface CreateSessionBody {
  readonly repoName: string;
  readonly repoPath?: string;
  /** Bots to register: ids (roster entries, or custom bots), or ids with their info over the roster's. */
  readonly bots?: readonly SessionBotInput[];
}

/** Options of {@link DashboardClient.startBot}. */
export interface StartBotOptions {
  /** Start the bot even though dependencies of it are not done. */
  readonly force?: boolean;
}

/** What an ingest stored. */
export interface AddFindingsResult {
  readonly added: number;
  /** Sequence numbers of the batch in the session: `firstSeq` to `lastSeq`. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** True when the server had already stored this batch (a retry), and added nothing now. */
  readonly replayed: boolean;
}

/** An error answered by the dashboard: status, stable code, and the fields at fault. */
export class DashboardApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly HttpIssue[];
  constructor(status: number, body: Partial<ErrorBody> | undefined, fallback: string) {
    super(body?.error?.message ?? fallback);
    this.name = 'DashboardApiError';
    this.status = status;
    this.code = body?.error?.code ?? 'FK_HTTP_INTERNAL';
    this.issues = body?.error?.issues ?? [];
  }
}

/**
 * True when a failed request may be sent again: its answer never came (a
 * network error, a timeout) or said "later" (429, 502, 503, 504). Only for
 * requests whose repetition is safe (a keyed batch, or a caller that checks).
 */
export function isRetryable(err: unknown): boolean {
  const status = err instanceof DashboardApiError ? err.status : undefined;
  return status === undefined || status === 429 || status === 502 || status === 503 || status === 504;
}

/** A repository as listed by the API. */
export interface RepoListing {
  readonly name: string;
  readonly sessions: number;
  readonly latestSessionId: string | null;
  readonly latestModifiedAt: string | null;
  readonly trend: Trend | null;
}

/** A stored session as listed by the API. */
export interface SessionListingJSON {
  readonly sessionId: string;
  readonly repoName: string;
  readonly modifiedAt: string;
  /** Bytes stored (the file storage). */
  readonly sizeBytes?: number;
  /** Findings stored (a database). */
  readonly findingsCount?: number;
}

/** What identifies a session and its time span. */
export interface SessionHeader {
  readonly sessionId: string;
  readonly repoName: string;
  readonly repoPath: string;
  readonly startedAt: string;
  readonly completedAt: string | null;
  /** Increases on every change of the session. */
  readonly version: number;
}

/** A session overview. */
export interface SessionOverview extends SessionHeader {
  readonly summary: ContextSummary;
  readonly dataKeys: readonly string[];
}

/** A session's status at a glance. */
export interface SessionStatus extends SessionHeader {
  readonly healthStatus: HealthStatus;
  readonly healthScore: number;
  readonly blocksRelease: boolean;
  readonly totalFindings: number;
  readonly fixedFindings: number;
  readonly findingsBySeverity: Readonly<Record<Severity, number>>;
  /** Findings per bot id (bots without findings are absent). */
  readonly findingsBySource: Readonly<Record<string, number>>;
  readonly botsRun: number;
  readonly botsFailed: number;
  readonly botsRunning: number;
  readonly botsPending: number;
  readonly readyBots: readonly string[];
}

/** A registered bot with its execution. */
export type BotView = BotInfo & BotExecution;

/** A repository's history. */
export interface RepoHistory {
  readonly repoName: string;
  readonly trend: Trend | null;
  readonly updatedAt: string | null;
  readonly sessions: readonly SessionRecord[];
  readonly skipped: readonly number[];
}

/** Query of the findings endpoint. */
export interface FindingsQuery extends FindingFilters {
  readonly tier?: Tier;
  readonly cursor?: string;
  /** 1 to 1000. @default 100 */
  readonly limit?: number;
}

/** Report options accepted by the report endpoint. */
export interface ReportQuery {
  readonly maxFindings?: number;
  readonly groupBy?: 'severity' | 'bot' | 'category' | 'file';
  readonly minSeverity?: Severity;
  readonly target?: 'github-comment';
}

/** A live event: the first is always a snapshot; updates carry only what changed. */
export type LiveEvent = { readonly type: 'snapshot'; readonly data: LiveState } | { readonly type: 'update'; readonly data: LiveDelta };

/** Options of {@link DashboardClient.subscribe}. */
export interface SubscribeOptions {
  /** Called when the stream fails; it reconnects by itself unless stopped. */
  readonly onError?: (err: unknown) => void;
  /** Stops the subscription. */
  readonly signal?: AbortSignal;
  /** Called when the session is deleted while watched; the subscription then stops by itself. */
  readonly onDeleted?: (sessionId: string) => void;
}

const qs = (params: object): string => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.set(k, String(v));
  const s = u.toString();
  return s === '' ? '' : `?${s}`;
};
const seg = encodeURIComponent;

/** The dashboard client; see {@link createDashboardClient}. */
export type DashboardClient = ReturnType<typeof createDashboardClient>;

/** Creates a client of a dashboard. */
export function createDashboardClient(options: DashboardClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const readBearer = options.readToken ?? options.token;
  const readHeaders = (accept: string): Record<string, string> => ({ accept, ...(readBearer === undefined ? {} : { authorization: `Bearer ${readBearer}` }) });

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, extra: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const bearer = method === 'POST' ? options.token : readBearer;
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    const res = await doFetch(base + path, { method, headers, ...(extra.signal === undefined ? {} : { signal: extra.signal }), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (!res.ok) throw Object.assign(new DashboardApiError(res.status, parsed as ErrorBody, `${method} ${path}: HTTP ${res.status}`), { retryAfter: res.headers.get('retry-after') });
    return parsed as T;
  }

  const retries = options.retries ?? 4;
  const firstDelay = options.retryDelayMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** A write retried while the answer is lost or says "later"; only for writes that are idempotent (keyed). */
  async function retried<T>(path: string, body: unknown, headers: Record<string, string>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call<T>('POST', path, body, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        if (!isRetryable(err) || attempt >= retries) throw err;
        const after = Number((err as { retryAfter?: string | null }).retryAfter);
        await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 30_000) : Math.min(firstDelay * 2 ** attempt, 10_000)));
      }
    }
  }

  return {
    repos: () => call<{ repos: RepoListing[] }>('GET', '/api/repos').then((r) => r.repos),
    sessions: (filter: { repo?: string } = {}) => call<{ sessions: SessionListingJSON[] }>('GET', `/api/sessions${qs(filter)}`).then((r) => r.sessions),
    session: (id: string) => call<SessionOverview>('GET', `/api/sessions/${seg(id)}`),
    health: (id: string) => call<FleetHealth>('GET', `/api/sessions/${seg(id)}/health`),
    status: (id: string) => call<SessionStatus>('GET', `/api/sessions/${seg(id)}/status`),
    bots: (id: string) => call<{ bots: BotView[] }>('GET', `/api/sessions/${seg(id)}/bots`).then((r) => r.bots),
    findings: (id: string, query: FindingsQuery = {}) => call<FindingPage>('GET', `/api/sessions/${seg(id)}/findings${qs(query)}`),
    /** Every finding matching the filters, page by page. */
    async *allFindings(id: string, query: Omit<FindingsQuery, 'cursor'> = {}): AsyncGenerator<Finding> {
      let cursor: string | undefined;
      do {
        const page: FindingPage = await call<FindingPage>('GET', `/api/sessions/${seg(id)}/findings${qs({ ...query, cursor })}`);
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    },
    finding: (id: string, findingId: string) => call<Finding>('GET', `/api/sessions/${seg(id)}/findings/${seg(findingId)}`),
    async report(id: string, format: ReportFormat, query: ReportQuery = {}): Promise<string> {
      const res = await doFetch(`${base}/api/sessions/${seg(id)}/report/${seg(format)}${qs(query)}`, { headers: readHeaders('*/*') });
      const text = await res.text();
      if (!res.ok) throw new DashboardApiError(res.status, JSON.parse(text) as ErrorBody, `report: HTTP ${res.status}`);
      return text;
    },
    history: (repo: string) => call<RepoHistory>('GET', `/api/repos/${seg(repo)}/history`),
    openapi: () => call<Record<string, unknown>>('GET', '/api/openapi.json'),

    /** Creates a session; `bots` are ids, or ids with their info (tier, dependsOn, …) over the roster's. */
    createSession: (body: CreateSessionBody) => call<{ sessionId: string }>('POST', '/api/sessions', body),
    /** Starts a bot; refused (409 `FK_DEPENDENCIES_NOT_DONE`) while its registered dependencies are not done, unless `force`. */
    startBot: (id: string, bot: string, options: StartBotOptions = {}) =>
      call<BotExecution>('POST', `/api/sessions/${seg(id)}/bots/${seg(bot)}/start`, options.force === undefined ? {} : { force: options.force }),
    completeBot: (id: string, bot: string, counts: CompletionCounts) => call<BotExecution>('POST', `/api/sessions/${seg(id)}/bots/${seg(bot)}/complete`, counts),
    failBot: (id: string, bot: string, message: string) => call<BotExecution>('POST', `/api/sessions/${seg(id)}/bots/${seg(bot)}/fail`, { message }),
    skipBot: (id: string, bot: string, reason: string) => call<BotExecution>('POST', `/api/sessions/${seg(id)}/bots/${seg(bot)}/skip`, { reason }),
    /** Adds a batch under an Idempotency-Key (random unless given), retrying safely when the answer is lost or says "later". */
    addFindings: (id: string, findings: readonly (Finding | FindingInput)[], opts: AddFindingsOptions = {}) =>
      retried<AddFindingsResult>(`/api/sessions/${seg(id)}/findings`, { findings }, { 'idempotency-key': opts.idempotencyKey ?? globalThis.crypto.randomUUID() }),
    fixFinding: (id: string, findingId: string) => call<{ changed: boolean }>('POST', `/api/sessions/${seg(id)}/findings/${seg(findingId)}/fix`),
    completeSession: (id: string) => call<{ completedAt: string }>('POST', `/api/sessions/${seg(id)}/complete`),

    /**
     * Live updates of a session: `onEvent` gets a snapshot, then updates.
     * Reconnects after a dropped stream (with a fresh snapshot); stops by
     * itself when the session is deleted (`onDeleted`). Returns a function that stops.
     */
    subscribe(id: string, onEvent: (e: LiveEvent) => void, opts: SubscribeOptions = {}): () => void {
      const stop = new AbortController();
      opts.signal?.addEventListener('abort', () => stop.abort(), { once: true });
      let retryMs = 2000;
      let deleted = false;
      void (async () => {
        while (!stop.signal.aborted) {
          try {
            const res = await doFetch(`${base}/api/sessions/${seg(id)}/events`, { headers: readHeaders('text/event-stream'), signal: stop.signal });
            if (!res.ok || res.body === null) {
              const body = (await res.json().catch(() => undefined)) as ErrorBody | undefined;
              throw new DashboardApiError(res.status, body, `events: HTTP ${res.status}`);
            }
            const parser = new SseParser(
              (m) => {
                if (m.event === 'snapshot' || m.event === 'update') onEvent({ type: m.event, data: JSON.parse(m.data) } as LiveEvent);
                if (m.event === 'deleted' && !deleted) {
                  deleted = true;
                  opts.onDeleted?.(id);
                }
              },
              (ms) => (retryMs = ms),
            );
            const decoder = new TextDecoder();
            const reader = res.body.getReader();
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              parser.push(decoder.decode(value, { stream: true }));
            }
            if (deleted) return;
          } catch (err) {
            if (stop.signal.aborted || deleted) return;
            opts.onError?.(err);
            if (err instanceof DashboardApiError && err.status === 404) return;
          }
          await new Promise((r) => setTimeout(r, retryMs));
        }
      })();
      return () => stop.abort();
    },
  };
}

export { SseParser } from './sse.js';
export type { SseMessage } from './sse.js';
export type { LiveDelta, LiveState } from './live-state.js';
export type { FindingFilters, FindingPage } from './findings-query.js';
export type { SessionBotInput, SessionBotSpec } from './session-bots.js';
