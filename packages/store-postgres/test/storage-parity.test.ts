/**
 * A session from real input (the original fleet's findings, CodeQL's SARIF
 * logs) gives the same health, summary and reports whether it was stored in
 * files or in PostgreSQL, whole or batch by batch.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, REPORT_FORMATS, generateReport, importFindingsFile } from '@fleetkit/shared-context';
import type { Finding } from '@fleetkit/shared-context';
import { freshStorage } from './support/storages.js';
import type { StorageUnderTest } from './support/storages.js';

const fixtures = resolve(import.meta.dirname, '../../../fixtures');
const NOW = Date.UTC(2026, 1, 6, 22, 0, 0);
// The session's clock when it is done: every context read back uses it, so times agree.
const END = NOW + 3 * 1200;

async function imported(path: string, source?: string): Promise<Finding[]> {
  const r = await importFindingsFile(resolve(fixtures, path), { now: () => NOW, ...(source === undefined ? {} : { source }) });
  expect(r.findings.length, path).toBeGreaterThan(0);
  return r.findings;
}

async function realSession(): Promise<{ ctx: Context; batches: Finding[][] }> {
  const clock = { t: NOW };
  const ctx = new Context('echidnabot', '/var/repos/echidnabot', { sessionId: 'parity-1', now: () => clock.t, healthTtlMs: 0 });
  ctx.registerAllBots();
  const batches = [
    await imported('gitbot-fleet/findings/echidnabot/latest.json', 'echidnabot'),
    await imported('gitbot-fleet/findings/affinescript/latest.json', 'rhodibot'),
    await imported('sarif/valid-sarif.sarif', 'panicbot'),
  ];
  for (const [i, bot] of ['echidnabot', 'rhodibot', 'panicbot'].entries()) {
    ctx.startBot(bot);
    clock.t += 1200;
    ctx.addFindings(batches[i]!);
    ctx.completeBot(bot, { findings: batches[i]!.length, errors: batches[i]!.filter((f) => f.severity === 'error').length, files: 30 });
  }
  ctx.startBot('sustainabot');
  ctx.failBot('sustainabot', 'timeout <script>alert(1)</script>');
  ctx.markFixed(batches[0]![0]!.id);
  expect(clock.t).toBe(END);
  return { ctx, batches };
}

function views(ctx: Context): Record<string, unknown> {
  return {
    health: ctx.healthCheck(),
    summary: ctx.summary(),
    ...Object.fromEntries(REPORT_FORMATS.map((f) => [f, generateReport(ctx, f)])),
  };
}

describe('the same session from files and from PostgreSQL', () => {
  const opened: StorageUnderTest[] = [];
  let reference: Record<string, unknown>;
  let session: Awaited<ReturnType<typeof realSession>>;
  beforeAll(async () => {
    session = await realSession();
    reference = views(session.ctx);
  });
  afterAll(async () => {
    for (const o of opened) await o.dispose();
  });

  it('has findings whose metadata jsonb would reorder (so the exact copy is exercised)', () => {
    const reordered = session.ctx.findings.all().some((f) => {
      const keys = Object.keys(f.metadata);
      return keys.some((k, i) => i > 0 && (k.length < keys[i - 1]!.length || (k.length === keys[i - 1]!.length && k < keys[i - 1]!)));
    });
    expect(reordered).toBe(true);
    expect(readFileSync(resolve(fixtures, 'sarif/valid-sarif.sarif'), 'utf8').length).toBeGreaterThan(0);
  });

  for (const kind of ['files', 'postgres'] as const) {
    it(`gives the same health, summary and reports when saved whole (${kind})`, async () => {
      const under = await freshStorage(kind, { now: () => END, healthTtlMs: 0 });
      opened.push(under);
      await under.storage.saveSession(session.ctx);
      const back = await under.storage.loadSession('parity-1');
      expect(views(back)).toEqual(views(session.ctx));
      expect(JSON.stringify(back)).toBe(JSON.stringify(session.ctx));
      expect(views(session.ctx)).toEqual(reference);
    });

    it(`gives the same when built change by change (${kind})`, async () => {
      const under = await freshStorage(kind, { now: () => END, healthTtlMs: 0 });
      opened.push(under);
      const empty = new Context('echidnabot', '/var/repos/echidnabot', { sessionId: 'parity-1', now: () => NOW, healthTtlMs: 0 });
      empty.registerAllBots();
      await under.storage.saveSession(empty);
      // Lifecycle through updateSession (with the original's executions), findings through appendFindings.
      const json = session.ctx.toJSON();
      for (const b of session.batches) await under.storage.appendFindings('parity-1', b, { idempotencyKey: `batch-${b[0]!.id}` });
      await under.storage.markFixed('parity-1', session.batches[0]![0]!.id);
      const stored = await under.storage.loadSession('parity-1');
      const rebuilt = Context.fromJSON({ ...json, findings: stored.toJSON().findings }, { now: () => END, healthTtlMs: 0 });
      expect(views(rebuilt)).toEqual(reference);
      expect(stored.findings.all().map((f) => f.id)).toEqual(session.ctx.findings.all().map((f) => f.id));
    });
  }
});
