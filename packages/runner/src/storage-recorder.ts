/**
 * Records a run in a {@link SessionStorage} (the file storage, or PostgreSQL
 * through `@fleetkit/store-postgres`) as it changes, so a dashboard serving
 * the same storage shows it live. Findings go in as appended batches under
 * idempotency keys; the bots' states are copied from the run's own Context,
 * so the stored times are the run's, not the storage's.
 */
import { createHash } from 'node:crypto';
import type { BotId, SessionStorage } from '@fleetkit/shared-context';
import type { RunRecorder } from './recorder.js';

/** Findings per appended batch: well under a storage's batch limits, few round trips. */
export const APPEND_BATCH = 5000;

/** A recorder writing into `storage` (which the caller opens and closes). */
export function storageRecorder(storage: SessionStorage): RunRecorder {
  let sessionId: string | undefined;
  return {
    location: storage.location,
    get sessionId() {
      return sessionId;
    },
    async open(initial) {
      await storage.saveSession(initial);
      sessionId = initial.sessionId;
    },
    async appendFindings(ctx, bot, findings) {
      for (let i = 0; i < findings.length; i += APPEND_BATCH) {
        // A retried batch (the same run, the same bot, the same slice) is stored once.
        await storage.appendFindings(ctx.sessionId, findings.slice(i, i + APPEND_BATCH), { idempotencyKey: batchKey(ctx.sessionId, bot, i / APPEND_BATCH) });
      }
    },
    async sync(state) {
      await storage.updateSession(state.sessionId, (s) => void s.syncState(state));
    },
    async close(ctx, { history }) {
      if (history) await storage.addToHistory(ctx, { once: true });
    },
  };
}

/** A batch's idempotency key: within the 200 characters a key may have, whatever the bot id's length. */
export function batchKey(sessionId: string, bot: BotId, index: number): string {
  const name = bot.length <= 64 ? bot : createHash('sha256').update(bot).digest('base64url').slice(0, 22);
  return `fleet-run:${sessionId.slice(0, 100)}:${name}:${index}`;
}
