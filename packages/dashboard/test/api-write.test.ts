/** The write API, the same tests on both storages: a directory and PostgreSQL. */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextStorage } from '@fleetkit/shared-context';
import type { BotExecution } from '@fleetkit/shared-context';
import type { Running } from './support/server.js';
import { startDashboard, STORE_KINDS, TOKEN } from './support/server.js';

describe.each(STORE_KINDS)('write API (%s)', (kind) => {
  let s: Running;
  beforeAll(async () => {
    s = await startDashboard({}, undefined, kind);
  });
  afterAll(() => s.stop());

  const create = async (repoName = 'acme/web', bots?: string[]): Promise<string> => {
    const r = await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName, ...(bots === undefined ? {} : { bots }) });
    expect(r.status).toBe(201);
    return r.json.sessionId;
  };
  /** The session as stored (read by another storage object, as another process would). */
  const onDisk = async (id: string) => (await s.backend()).loadSession(id);
  const finding = (i: number, extra: Record<string, unknown> = {}) => ({ source: 'sentinelbot', ruleId: `R${i}`, severity: 'warning', message: `finding ${i}`, file: `src/f${i}.ts`, line: i + 1, ...extra });

  describe('write API: sessions, bots and findings, persisted before the answer', () => {
    it('creates a session on disk and answers 201 with its id', async () => {
      const id = await create('acme/web', ['rhodibot', 'sentinelbot']);
      const ctx = await onDisk(id);
      expect(ctx.repoName).toBe('acme/web');
      expect([...ctx.bots()].map((b) => b.id)).toEqual(['rhodibot', 'sentinelbot']);
    });

    it('runs a bot through start and complete, registering it on start', async () => {
      const id = await create();
      const start = await s.api<BotExecution>('POST', `/api/sessions/${id}/bots/sentinelbot/start`, {});
      expect(start.status).toBe(200);
      expect(start.json.status).toBe('running');
      const done = await s.api<BotExecution>('POST', `/api/sessions/${id}/bots/sentinelbot/complete`, { findings: 2, errors: 1, files: 9 });
      expect(done.json).toMatchObject({ status: 'completed', findingsCount: 2, errorsCount: 1, filesAnalyzed: 9 });
      expect((await onDisk(id)).execution('sentinelbot')).toMatchObject({ status: 'completed', filesAnalyzed: 9 });
      const custom = await s.api<BotExecution>('POST', `/api/sessions/${id}/bots/my-linter/start`);
      expect(custom.json.status).toBe('running');
      expect((await onDisk(id)).bot('my-linter')?.tier).toBe('custom');
    });

    it('fails and skips bots with their message and reason', async () => {
      const id = await create('acme/web', ['rhodibot', 'seambot']);
      await s.api('POST', `/api/sessions/${id}/bots/rhodibot/start`, {});
      expect((await s.api<BotExecution>('POST', `/api/sessions/${id}/bots/rhodibot/fail`, { message: 'crashed' })).json).toMatchObject({ status: 'failed', error: 'crashed' });
      expect((await s.api<BotExecution>('POST', `/api/sessions/${id}/bots/seambot/skip`, { reason: 'not needed' })).json).toMatchObject({ status: 'skipped', reason: 'not needed' });
    });

    it('adds a batch of findings and has them on disk when it answers', async () => {
      const id = await create();
      const r = await s.api<{ added: number }>('POST', `/api/sessions/${id}/findings`, { findings: [finding(1), finding(2, { severity: 'error' })] });
      expect(r.status).toBe(201);
      expect(r.json).toEqual({ added: 2, firstSeq: 1, lastSeq: 2, replayed: false });
      const ctx = await onDisk(id);
      expect(ctx.findings.all().map((f) => f.ruleId)).toEqual(['R1', 'R2']);
      expect(ctx.blocksRelease()).toBe(true);
    });

    it('adds a batch retried under its Idempotency-Key once, and refuses the key for another batch', async () => {
      const id = await create();
      const batch = { findings: [finding(1), finding(2)] };
      const key = { 'idempotency-key': 'bot-7/run-3/batch-1' };
      const first = await s.api<{ added: number; replayed: boolean }>('POST', `/api/sessions/${id}/findings`, batch, { headers: key });
      const retries = await Promise.all([1, 2, 3].map(() => s.api<{ added: number; replayed: boolean; firstSeq: number }>('POST', `/api/sessions/${id}/findings`, batch, { headers: key })));
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({ added: 2, replayed: false });
      for (const r of retries) {
        expect(r.status).toBe(201);
        expect(r.json).toMatchObject({ added: 2, firstSeq: 1, replayed: true });
        expect(r.headers.get('idempotent-replayed')).toBe('true');
      }
      expect((await onDisk(id)).findings.size).toBe(2);
      const other = await s.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(3)] }, { headers: key });
      expect(other.status).toBe(422);
      expect(other.json.error.code).toBe('FK_IDEMPOTENCY_KEY_REUSED');
      const bad = await s.api('POST', `/api/sessions/${id}/findings`, batch, { headers: { 'idempotency-key': 'has spaces in it' } });
      expect(bad.status).toBe(400);
      expect(bad.json.error.issues?.map((i) => i.path)).toContain('headers.idempotency-key');
      expect((await onDisk(id)).findings.size).toBe(2);
    });

    it('keeps every finding of concurrent batches (group commit loses none)', async () => {
      const id = await create();
      const batches = Array.from({ length: 40 }, (_, b) => Array.from({ length: 5 }, (_, i) => finding(b * 5 + i)));
      const results = await Promise.all(batches.map((findings) => s.api('POST', `/api/sessions/${id}/findings`, { findings })));
      expect(results.map((r) => r.status)).toEqual(batches.map(() => 201));
      const ctx = await onDisk(id);
      expect(ctx.findings.size).toBe(200);
      expect(new Set(ctx.findings.all().map((f) => f.ruleId)).size).toBe(200);
    });

    it('marks a finding fixed and completes the session into the history', async () => {
      const id = await create('history/repo');
      const fid = 'fixed-me-1';
      await s.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(1, { id: fid, severity: 'error' })] });
      expect((await s.api<{ changed: boolean }>('POST', `/api/sessions/${id}/findings/${fid}/fix`)).json).toEqual({ changed: true });
      expect((await s.api<{ changed: boolean }>('POST', `/api/sessions/${id}/findings/${fid}/fix`)).json).toEqual({ changed: false });
      const done = await s.api<{ completedAt: string }>('POST', `/api/sessions/${id}/complete`);
      expect(done.status).toBe(200);
      expect((await onDisk(id)).completedAt).toBe(done.json.completedAt);
      const history = await s.api<{ sessions: Array<{ sessionId: string; blocksRelease: boolean }> }>('GET', '/api/repos/history%2Frepo/history');
      expect(history.json.sessions).toEqual([expect.objectContaining({ sessionId: id, blocksRelease: false })]);
      expect((await s.api('POST', `/api/sessions/${id}/complete`)).status).toBe(409);
    });

    it.runIf(kind === 'files')('folds a completed session into its history when completion is asked again after the history write failed', async () => {
      const id = await create('retry/repo');
      await s.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(1, { severity: 'error' })] });
      // A directory where the repository's state file goes: writing the history fails, as a full disk would.
      const blocker = new ContextStorage(s.dir).repoStateFile('retry/repo');
      await mkdir(blocker, { recursive: true });
      try {
        expect((await s.api('POST', `/api/sessions/${id}/complete`)).status).toBe(500);
        expect((await onDisk(id)).completedAt).not.toBeNull();
      } finally {
        await rm(blocker, { recursive: true, force: true });
      }
      expect((await s.api('POST', `/api/sessions/${id}/complete`)).status).toBe(200);
      const history = await s.api<{ sessions: Array<{ sessionId: string }> }>('GET', '/api/repos/retry%2Frepo/history');
      expect(history.json.sessions.map((x) => x.sessionId)).toEqual([id]);
      // In its history now: completing again is the impossible transition it always was.
      expect((await s.api('POST', `/api/sessions/${id}/complete`)).status).toBe(409);
    });
  });

  describe('write API: authentication', () => {
    it('refuses a write without a token, with a wrong token, and with another scheme', async () => {
      for (const token of [null, 'wrong-token-0123456789abcdef', `${TOKEN}x`, '']) {
        const r = await s.api('POST', '/api/sessions', { repoName: 'x' }, { token });
        expect(r.status, String(token)).toBe(401);
        expect(r.json.error.code).toBe('FK_HTTP_UNAUTHORIZED');
        expect(r.headers.get('www-authenticate')).toContain('Bearer');
      }
      const basic = await s.api('POST', '/api/sessions', { repoName: 'x' }, { token: null, headers: { authorization: `Basic ${Buffer.from(`a:${TOKEN}`).toString('base64')}` } });
      expect(basic.status).toBe(401);
      expect(await (await s.backend()).listSessions({ repo: 'x' })).toEqual([]);
    });

    it('refuses every write when the server has no token, and still serves reads', async () => {
      const open = await startDashboard({ token: undefined }, undefined, kind);
      try {
        const r = await open.api('POST', '/api/sessions', { repoName: 'x' });
        expect(r.status).toBe(401);
        expect(r.json.error.message).toMatch(/--token/);
        expect((await open.api('GET', '/api/repos')).status).toBe(200);
      } finally {
        await open.stop();
      }
    });

    it('rate limits writes per client with a 429 in the usual error shape', async () => {
      const limited = await startDashboard({ writeRateLimit: 3 }, undefined, kind);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await limited.api('POST', '/api/sessions', { repoName: `r${i}` })).status);
        expect(statuses).toEqual([201, 201, 201, 429, 429]);
        const r = await limited.api('POST', '/api/sessions', { repoName: 'again' });
        expect(r.json.error.code).toBe('FK_HTTP_RATE_LIMITED');
        expect((await limited.api('GET', '/api/repos')).status).toBe(200);
      } finally {
        await limited.stop();
      }
    });
  });

  describe('write API: bad input gets a 4xx naming the field, and changes nothing', () => {
    it('rejects a batch with one bad finding as a whole, naming index and field', async () => {
      const id = await create();
      const r = await s.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(1), finding(2, { severity: 'catastrophic' }), finding(3, { line: -4 })] });
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('FK_VALIDATION');
      const paths = r.json.error.issues!.map((i) => i.path);
      expect(paths).toContain('body.findings[1].severity');
      expect(paths).toContain('body.findings[2].line');
      expect((await onDisk(id)).findings.size).toBe(0);
      expect((await s.api<{ totalFindings: number }>('GET', `/api/sessions/${id}/status`)).json.totalFindings).toBe(0);
    });

    it.each([
      ['malformed JSON', '/api/sessions', { raw: '{"repoName": ' }, 400, 'body'],
      ['a wrong type', '/api/sessions', { body: { repoName: 42 } }, 400, 'body.repoName'],
      ['an unknown field', '/api/sessions', { body: { repoName: 'a', owner: 'me' } }, 400, 'body.owner'],
      ['a missing field', '/api/sessions', { body: { repoPath: '/x' } }, 400, 'body.repoName'],
      ['an array body', '/api/sessions', { body: [] }, 400, 'body'],
      ['an empty findings batch', '/api/sessions/SID/findings', { body: { findings: [] } }, 400, 'body.findings'],
      ['findings not an array', '/api/sessions/SID/findings', { body: { findings: 'many' } }, 400, 'body.findings'],
      ['complete without counts', '/api/sessions/SID/bots/rhodibot/complete', { body: { findings: 1 } }, 400, 'body.errors'],
      ['counts as strings', '/api/sessions/SID/bots/rhodibot/complete', { body: { findings: '1', errors: 0, files: 0 } }, 400, 'body.findings'],
      ['fail without message', '/api/sessions/SID/bots/rhodibot/fail', { body: {} }, 400, 'body.message'],
    ])('answers 400 for %s', async (_name, path, input, status, field) => {
      const id = await create('acme/web', ['rhodibot']);
      const r = await s.api('POST', path.replace('SID', id), 'body' in input ? input.body : undefined, 'raw' in input ? { raw: input.raw } : {});
      expect(r.status).toBe(status);
      expect(r.json.error.issues?.map((i) => i.path)).toContain(field);
    });

    it('answers 413 for an oversize body and 415 for a non-JSON body', async () => {
      const small = await startDashboard({ bodyLimit: 2048 }, undefined, kind);
      try {
        const big = await small.api('POST', '/api/sessions', { repoName: 'x'.repeat(5000) });
        expect(big.status).toBe(413);
        expect(big.json.error.code).toBe('FK_HTTP_TOO_LARGE');
        const text = await small.api('POST', '/api/sessions', undefined, { raw: 'repoName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        expect(text.status).toBe(415);
      } finally {
        await small.stop();
      }
    });

    it('answers 404 for unknown sessions and routes, 409 for impossible transitions and duplicate ids', async () => {
      expect((await s.api('POST', '/api/sessions/no-such-session/findings', { findings: [finding(1)] })).status).toBe(404);
      expect((await s.api('GET', '/api/sessions/no-such-session/health')).json.error.code).toBe('FK_NOT_FOUND');
      expect((await s.api('GET', '/api/nothing-here')).status).toBe(404);
      const id = await create('acme/web', ['rhodibot']);
      const early = await s.api('POST', `/api/sessions/${id}/bots/rhodibot/complete`, { findings: 0, errors: 0, files: 0 });
      expect(early.status).toBe(409);
      expect(early.json.error.code).toBe('FK_INVALID_TRANSITION');
      expect((await s.api('POST', `/api/sessions/${id}/bots/ghostbot/fail`, { message: 'x' })).status).toBe(404);
      await s.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(1, { id: 'same' })] });
      const dup = await s.api('POST', `/api/sessions/${id}/findings`, { findings: [finding(2, { id: 'same' })] });
      expect(dup.status).toBe(400);
      expect(dup.json.error.issues?.[0]?.path).toBe('body.findings[0].id');
    });

    it('answers 400 for bad query parameters and cursors', async () => {
      const id = await create();
      await s.api('POST', `/api/sessions/${id}/findings`, { findings: Array.from({ length: 5 }, (_, i) => finding(i)) });
      const cases: Array<[string, string]> = [
        ['limit=0', 'query.limit'],
        ['limit=1001', 'query.limit'],
        ['limit=ten', 'query.limit'],
        ['severity=fatal', 'query.severity'],
        ['sort=asc', 'query.sort'],
        ['cursor=not-a-cursor', 'query.cursor'],
      ];
      for (const [q, field] of cases) {
        const r = await s.api('GET', `/api/sessions/${id}/findings?${q}`);
        expect(r.status, q).toBe(400);
        expect(r.json.error.issues?.map((i) => i.path), q).toContain(field);
      }
      const page = await s.api<{ nextCursor: string }>('GET', `/api/sessions/${id}/findings?limit=2`);
      const other = await s.api('GET', `/api/sessions/${id}/findings?limit=2&severity=error&cursor=${page.json.nextCursor}`);
      expect(other.status).toBe(400);
      expect(other.json.error.message).toMatch(/other filters/);
    });

    it.runIf(kind === 'files')('never lets a session id or repo name reach outside the storage directory', async () => {
      for (const evil of ['..', '../..', '..%2F..%2Fetc%2Fpasswd', '%2E%2E', 'a%00b', '%2Fetc%2Fpasswd']) {
        const r = await s.api('GET', `/api/sessions/${evil}/health`);
        expect([400, 404], evil).toContain(r.status);
        const h = await s.api('GET', `/api/repos/${evil}/history`);
        expect([400, 404], evil).toContain(h.status);
      }
      const r = await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: '../../escape' });
      expect(r.status).toBe(201);
      const top = await readdir(s.dir);
      expect(top.sort()).toEqual(expect.arrayContaining(['sessions']));
      expect(top.every((n) => ['sessions', 'repos'].includes(n))).toBe(true);
      expect(await readFile(join(s.dir, 'sessions', '%2E%2E%2F%2E%2E%2Fescape', `${r.json.sessionId}.json`), 'utf8')).toContain('../../escape');
    });

    it('stores names and finding text with quotes, semicolons and wildcards as they are, and filters by them', async () => {
      const evil = "x'); DROP TABLE fleetkit_findings; --";
      const id = await create(evil, ['rhodibot']);
      const texts = ["it's", '50%_done', 'a;b', evil];
      const r = await s.api('POST', `/api/sessions/${id}/findings`, { findings: texts.map((t, i) => finding(i, { file: `src/${t}/f.ts`, message: t, category: t })) });
      expect(r.status).toBe(201);
      for (const [i, t] of texts.entries()) {
        for (const q of [`file=${encodeURIComponent(`src/${t}`)}`, `q=${encodeURIComponent(t)}`, `category=${encodeURIComponent(t)}`]) {
          const page = await s.api<{ items: Array<{ ruleId: string }>; total: number }>('GET', `/api/sessions/${id}/findings?${q}`);
          expect(page.status, q).toBe(200);
          expect(page.json.items.map((f) => f.ruleId), q).toContain(`R${i}`);
        }
      }
      expect((await s.api<{ items: unknown[] }>('GET', `/api/sessions/${id}/findings?file=${encodeURIComponent('%')}`)).json.items).toEqual([]);
      expect((await s.api<{ items: unknown[] }>('GET', `/api/sessions/${id}/findings?file=src%2F_`)).json.items).toEqual([]);
      const repos = await s.api<{ repos: Array<{ name: string }> }>('GET', '/api/repos');
      expect(repos.json.repos.map((x) => x.name)).toContain(evil);
      expect((await onDisk(id)).findings.size).toBe(texts.length);
    });

    it('never answers 5xx to arbitrary JSON bodies (property)', async () => {
      const id = await create('fuzz', ['rhodibot']);
      const paths = [`/api/sessions`, `/api/sessions/${id}/findings`, `/api/sessions/${id}/bots/rhodibot/complete`, `/api/sessions/${id}/bots/rhodibot/fail`];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue(), async (path, body) => {
          const r = await s.api('POST', path, body);
          expect(r.status).toBeLessThan(500);
          if (r.status >= 400) expect(r.json.error.code).toMatch(/^FK_/);
        }),
        { numRuns: 150 },
      );
      expect((await s.api('GET', '/healthz')).status).toBe(200);
    });
  });
});
