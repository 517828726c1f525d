/**
 * `fleet run --dashboard URL`: the run recorded through a running
 * dashboard's API with its typed client, so every replica's live clients see
 * it. Findings go in batches under idempotency keys (the client retries them
 * safely); each bot's lifecycle call is retried too while the answer is lost
 * or says "later", and a retry the server had already applied (409, invalid
 * transition) counts as done. The dashboard package is an optional peer:
 * loaded only when `--dashboard` is used.
 */
import type { BotId, BotExecution, Context } from '@fleetkit/shared-context';
import type { RunRecorder } from '@fleetkit/runner';
import { batchKey } from '@fleetkit/runner';
import type * as ClientModule from '@fleetkit/dashboard/client';
import { CliError } from './errors.js';

type Client = ReturnType<typeof ClientModule.createDashboardClient>;

/** Findings per request: well under the API's 10,000 and its body limit. */
const BATCH = 2000;
const LIFECYCLE_RETRIES = 4;

/** A recorder posting to the dashboard at `baseUrl` with `token`. */
export async function dashboardRecorder(baseUrl: string, token: string | undefined): Promise<RunRecorder> {
  let mod: typeof ClientModule;
  try {
    mod = await import('@fleetkit/dashboard/client');
  } catch (err) {
    throw new CliError('FK_CLI_USAGE', '--dashboard needs the package @fleetkit/dashboard: install it beside @fleetkit/cli', { cause: err });
  }
  try {
    new URL(baseUrl);
  } catch {
    throw new CliError('FK_CLI_USAGE', `--dashboard must be a URL such as http://127.0.0.1:8080 (got "${baseUrl}")`);
  }
  const client: Client = mod.createDashboardClient({ baseUrl, ...(token === undefined ? {} : { token }) });
  const DashboardApiError = mod.DashboardApiError;
  let remote: string | undefined;
  // What the dashboard has been told of each bot, to send only what changed.
  const told = new Map<BotId, BotExecution['status']>();

  /** A lifecycle call, retried while the answer is lost or says "later". */
  const lifecycle = async (call: () => Promise<unknown>): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await call();
        return;
      } catch (err) {
        // A retry of a call that reached the server the first time: the bot is already where we wanted it.
        if (attempt > 0 && err instanceof DashboardApiError && err.status === 409 && err.code === 'FK_INVALID_TRANSITION') return;
        if (!mod.isRetryable(err) || attempt >= LIFECYCLE_RETRIES) throw err;
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5000)));
      }
    }
  };

  const send = async (id: string, ctx: Context, bot: BotId): Promise<void> => {
    const e = ctx.execution(bot);
    if (e === undefined || told.get(bot) === e.status) return;
    const before = told.get(bot) ?? 'pending';
    // The run decided the order itself; a start the dashboard's own check would refuse (after a failure allowed) is forced.
    if ((e.status === 'running' || e.status === 'completed' || e.status === 'failed') && before === 'pending') await lifecycle(() => client.startBot(id, bot, { force: true }));
    if (e.status === 'completed') await lifecycle(() => client.completeBot(id, bot, { findings: e.findingsCount, errors: e.errorsCount, files: e.filesAnalyzed }));
    if (e.status === 'failed') await lifecycle(() => client.failBot(id, bot, e.error.slice(0, 4000)));
    if (e.status === 'skipped') await lifecycle(() => client.skipBot(id, bot, e.reason.slice(0, 1000)));
    told.set(bot, e.status);
  };

  return {
    location: baseUrl,
    get sessionId() {
      return remote;
    },
    async open(initial) {
      const bots = [...initial.bots()].map((b) => ({ id: b.id, name: b.name, tier: b.tier, dependsOn: [...b.dependsOn] }));
      remote = (await client.createSession({ repoName: initial.repoName, repoPath: initial.repoPath, bots })).sessionId;
    },
    async appendFindings(_ctx, bot, findings) {
      const id = remote!;
      for (let i = 0; i < findings.length; i += BATCH) {
        await client.addFindings(id, findings.slice(i, i + BATCH), { idempotencyKey: batchKey(id, bot, i / BATCH) });
      }
    },
    async sync(ctx) {
      const id = remote!;
      for (const b of ctx.bots()) await send(id, ctx, b.id);
    },
    async close(_ctx, { history }) {
      // The dashboard adds a completed session to its repository's history; an interrupted one stays open, as it was left.
      if (history) await lifecycle(() => client.completeSession(remote!));
    },
  };
}
