/**
 * The database going away for longer than a blip: a storage keeps no broken
 * subscription. Its change listener comes back by itself soon after the
 * server does (the client's own backoff would wait up to 20 s), says some
 * notices may have been missed, and delivers the changes made after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, StorageUnavailableError } from '@fleetkit/shared-context';
import type { StorageEvent } from '@fleetkit/shared-context';
import { startTestPostgres } from '@fleetkit/testing-postgres';
import type { TestPostgres } from '@fleetkit/testing-postgres';
import { PostgresStorage } from '../src/index.js';

describe('a database down for several seconds', () => {
  let pg: TestPostgres;
  let url: string;
  beforeAll(async () => {
    // A server of this file's own: stopping the shared one would fail every other test file.
    pg = await startTestPostgres();
    url = await pg.createDatabase();
  });
  afterAll(async () => {
    await pg?.close();
  });

  it('re-listens by itself once it is back, asks for a resync, then reports changes again', async () => {
    const follower = await PostgresStorage.open(url, { maxReconnectDelaySeconds: 0.25, connectTimeoutSeconds: 2 });
    const writer = await PostgresStorage.open(url, { maxReconnectDelaySeconds: 0.25, connectTimeoutSeconds: 2 });
    const events: StorageEvent[] = [];
    const stop = await follower.watch((e) => events.push(e));
    try {
      const ctx = new Context('fleet/restart', '/src/fleet/restart', { sessionId: 'restart-1' });
      await writer.saveSession(ctx);
      await expect.poll(() => events.some((e) => 'sessionId' in e && e.sessionId === 'restart-1'), { timeout: 10_000 }).toBe(true);

      await pg.stopServer();
      await expect(writer.probe()).rejects.toBeInstanceOf(StorageUnavailableError);
      // Past the first several attempts of the client's own backoff, whose next wait would then be seconds long.
      await new Promise((r) => setTimeout(r, 6_000));
      expect(events.some((e) => e.kind === 'resync')).toBe(false);
      await pg.startServer();

      await expect.poll(() => events.some((e) => e.kind === 'resync'), { timeout: 5_000, interval: 50 }).toBe(true);
      const appended = await writer.appendFindings('restart-1', [
        { id: 'after', source: 'rhodibot', ruleId: 'r-1', severity: 'error', message: 'after the restart', category: 'security', file: 'src/a.ts', line: 1 },
      ]);
      expect(appended.added).toBe(1);
      await expect
        .poll(() => events.some((e) => e.kind === 'findings' && e.sessionId === 'restart-1' && e.toSeq === appended.lastSeq), { timeout: 10_000 })
        .toBe(true);
    } finally {
      await stop();
      await follower.close();
      await writer.close();
    }
  });
});
