/** Options of a dashboard, validated with zod; defaults are secure. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { DashboardConfigError } from './errors.js';

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  /**
   * Where sessions and repository history live: a `postgres://` URL (shared
   * by any number of replicas) or a directory (the file storage).
   */
  readonly store?: string;
  /** A directory of the file storage (the option before `store`, still accepted). */
  readonly storage?: string;
  /** Database connections of this replica (PostgreSQL only). @default 10 */
  readonly maxDbConnections?: number;
  /** Address to listen on. Any address other than loopback requires `token`. @default '127.0.0.1' */
  readonly host?: string;
  /** Port; 0 picks a free one. @default 8080 */
  readonly port?: number;
  /** Bearer token for every write endpoint (and for non-loopback listening). Without it, writes are refused. */
  readonly token?: string;
  /**
   * Bearer token for reads (the API, live updates, reports, metrics). Without
   * it (and without `auth: 'all'`) reads are open. The write token reads too.
   */
  readonly readToken?: string;
  /** `writes`: only writes need a token; `all`: reads need one too (`readToken`, or else `token`). @default 'writes' */
  readonly auth?: 'writes' | 'all';
  /** Origins allowed by CORS. @default [] (CORS off) */
  readonly corsOrigins?: readonly string[];
  /** Largest request body in bytes. @default 5242880 (5 MiB) */
  readonly bodyLimit?: number;
  /**
   * Request-body bytes of findings batches processed at once; further batches
   * wait, unread, in arrival order (a batch costs many times its body in
   * memory while it is stored). A body larger than this goes alone. @default 33554432 (32 MiB)
   */
  readonly ingestBudgetBytes?: number;
  /**
   * Bytes of serialized findings pages kept, each answered again without a
   * query while its session is unchanged here (0: none kept). @default 16777216 (16 MiB)
   */
  readonly pageCacheBytes?: number;
  /** Writes allowed per client address per minute. @default 1200 */
  readonly writeRateLimit?: number;
  /** Live (server-sent events) connections allowed at once. @default 1000 */
  readonly maxLiveClients?: number;
  /** Bytes queued to one live client before it is dropped as too slow. @default 1048576 */
  readonly liveBufferBytes?: number;
  /** Window in which changes are coalesced into one live update, ms (≤ 100). @default 50 */
  readonly liveWindowMs?: number;
  /** Interval of live heartbeats, ms. @default 15000 */
  readonly heartbeatMs?: number;
  /** Sessions kept loaded in memory. @default 16 */
  readonly maxCachedSessions?: number;
  /** Health TTL of loaded sessions, ms. @default 5000 */
  readonly healthTtlMs?: number;
  /** Log requests (pino, JSON lines on stdout). @default false */
  readonly logger?: boolean;
}

/** Options with every default filled. */
export type ResolvedOptions = Required<Omit<DashboardOptions, 'token' | 'readToken' | 'storage'>> & {
  readonly token: string | undefined;
  readonly readToken: string | undefined;
};

const OptionsSchema = z.strictObject({
  store: z.string().min(1, 'must be a postgres:// URL or a directory').optional(),
  storage: z.string().min(1, 'must be a directory path').optional(),
  maxDbConnections: z.number().int().min(1).max(1000).default(10),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  token: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  readToken: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  auth: z.enum(['writes', 'all']).default('writes'),
  corsOrigins: z.array(z.url({ protocol: /^https?$/ })).default([]),
  bodyLimit: z.number().int().min(1024).max(256 * 1024 * 1024).default(5 * 1024 * 1024),
  ingestBudgetBytes: z.number().int().min(1024).max(4 * 1024 * 1024 * 1024).default(32 * 1024 * 1024),
  pageCacheBytes: z.number().int().min(0).max(4 * 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  writeRateLimit: z.number().int().min(1).default(1200),
  maxLiveClients: z.number().int().min(1).max(100_000).default(1000),
  liveBufferBytes: z.number().int().min(1024).default(1024 * 1024),
  liveWindowMs: z.number().int().min(1).max(100, 'must be at most 100 (updates are coalesced in windows of ≤ 100 ms)').default(50),
  heartbeatMs: z.number().int().min(100).default(15_000),
  maxCachedSessions: z.number().int().min(1).default(16),
  healthTtlMs: z.number().int().min(0).default(5000),
  logger: z.boolean().default(false),
});

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/** Validates options; throws a {@link DashboardConfigError} naming each bad option. */
export function resolveOptions(options: unknown): ResolvedOptions {
  const r = OptionsSchema.safeParse(options);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.length === 0 ? 'options' : i.path.join('.')}: ${i.message}`);
    throw new DashboardConfigError(`invalid dashboard options: ${lines.join('; ')}`);
  }
  const { storage, ...o } = r.data;
  if (o.store !== undefined && storage !== undefined) throw new DashboardConfigError('store: give store or storage, not both');
  const store = o.store ?? storage;
  if (store === undefined) throw new DashboardConfigError('store: required (a postgres:// URL or a directory)');
  if (!isLoopback(o.host) && o.token === undefined) {
    throw new DashboardConfigError(`host: listening on ${o.host} (not loopback) requires a token (--token or FLEET_DASHBOARD_TOKEN)`);
  }
  if (o.auth === 'all' && o.token === undefined && o.readToken === undefined) {
    throw new DashboardConfigError("auth: 'all' (reads need a token too) needs a token (--token) or a read token (--read-token)");
  }
  if (o.readToken !== undefined && o.readToken === o.token) throw new DashboardConfigError('readToken: must differ from token (use auth: all for one token for both)');
  return { ...o, store, token: o.token, readToken: o.readToken };
}
