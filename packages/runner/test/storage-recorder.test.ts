import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionStorage, StorageEvent } from '@fleetkit/shared-context';
import { ContextStorage, readSessionRecords } from '@fleetkit/shared-context';
import { runFleet } from '../src/scheduler.js';
import { storageRecorder } from '../src/storage-recorder.js';
import { bot, plan } from './support/plan.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'fleet-recorder-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function storage(): Promise<SessionStorage> {
  return new ContextStorage(await mkdtemp(path.join(tmp, 'store-')));
}

describe('recording a run in a storage', () => {
  it('stores the session as the run has it — executions with the run\u2019s own times, every finding once — and adds it to the history', async () => {
    const s = await storage();
    const result = await runFleet(plan([
      bot('rhodibot', 'sarif', { n: 4 }),
      bot('panicbot', 'eslint', { n: 3 }, { dependsOn: ['rhodibot'] }),
      bot('seambot', 'exit', { code: 5 }),
    ]), { recorder: storageRecorder(s), jobs: 2 });
    expect(result.recordingError).toBeUndefined();
    const stored = await s.loadSession(result.ctx.sessionId);
    expect(stored.executions()).toEqual(result.ctx.executions());
    expect(stored.findings.size).toBe(7);
    expect(stored.completedAt).toBe(result.ctx.completedAt);
    expect(stored.getData('fleet.run')).toEqual(result.ctx.getData('fleet.run'));
    const history = await s.loadRepoState('test/repo');
    expect(readSessionRecords(history!).records.map((x) => x.sessionId)).toEqual([result.ctx.sessionId]);
    await s.close();
  });

  it('never lets a watcher see a bot completed before its findings are stored', async () => {
    const s = await storage();
    const reader = await storage();
    // The same directory, as another process (a dashboard) would see it.
    const watcher = new ContextStorage(s.location);
    const checks: Promise<void>[] = [];
    const problems: string[] = [];
    const stop = await watcher.watch((e: StorageEvent) => {
      if (e.kind !== 'session' && e.kind !== 'findings' && e.kind !== 'replaced') return;
      checks.push((async () => {
        const ctx = await watcher.loadSession(e.sessionId).catch(() => undefined);
        if (ctx === undefined) return;
        for (const x of ctx.executions()) {
          if (x.status === 'completed' && ctx.findings.bySource(x.bot).length < x.findingsCount) problems.push(`${x.bot}: ${x.findingsCount} counted, ${ctx.findings.bySource(x.bot).length} stored of ${ctx.findings.size}: ${[...new Set(ctx.findings.all().map((f) => f.source))].join()}`);
        }
      })());
    });
    const bots = Array.from({ length: 6 }, (_, i) => bot(`bot-${i}`, 'sarif', { n: 50, ms: 20 * i }));
    await runFleet(plan(bots), { recorder: storageRecorder(s), jobs: 6 });
    await new Promise((r) => setTimeout(r, 300));
    await stop();
    await Promise.all(checks);
    expect(checks.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await Promise.all([s.close(), reader.close(), watcher.close()]);
  });

  it('leaves an interrupted run out of the history', async () => {
    const s = await storage();
    const stop = new AbortController();
    const result = await runFleet(plan([bot('rhodibot', 'hang', { pidFile: path.join(tmp, 'p.json') })]), {
      recorder: storageRecorder(s),
      signal: stop.signal,
      killGraceMs: 200,
      onEvent: (e) => e.type === 'started' && setTimeout(() => stop.abort(), 200),
    });
    expect(result.interrupted).toBe(true);
    const stored = await s.loadSession(result.ctx.sessionId);
    expect(stored.getData('fleet.run')).toMatchObject({ status: 'interrupted' });
    expect(await s.loadRepoState('test/repo')).toBeUndefined();
    await s.close();
  });

  it('refuses to run anything when the session cannot be created', async () => {
    // A storage directory below a regular file: nothing can be written there.
    const file = path.join(tmp, 'a-file');
    await writeFile(file, '');
    const broken = new ContextStorage(path.join(file, 'store'));
    const events: string[] = [];
    await expect(runFleet(plan([bot('rhodibot', 'sarif')]), { recorder: storageRecorder(broken), onEvent: (e) => events.push(e.type) })).rejects.toThrow(/failed at creating the session: /);
    expect(events).toEqual([]);
    await broken.close();
  });
});
