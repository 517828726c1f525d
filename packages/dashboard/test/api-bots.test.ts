/**
 * Bots with their info at session creation, and starts held back by
 * dependencies that are not done: the same tests on both storages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotInfoSchema } from '@fleetkit/shared-context';
import type { BotExecution } from '@fleetkit/shared-context';
import { DashboardApiError, createDashboardClient } from '../src/client.js';
import type { BotView } from '../src/client.js';
import { SessionBotSchema } from '../src/schemas.js';
import type { Running } from './support/server.js';
import { startDashboard, STORE_KINDS, TOKEN } from './support/server.js';

describe.each(STORE_KINDS)('bots and their dependencies over the API (%s)', (kind) => {
  let s: Running;
  beforeAll(async () => {
    s = await startDashboard({}, undefined, kind);
  });
  afterAll(() => s.stop());

  const create = async (bots: unknown[], repoName = 'deps/web'): Promise<string> => {
    const r = await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName, bots });
    expect(r.status).toBe(201);
    return r.json.sessionId;
  };
  /** The session as stored (read by another storage object, as another process would). */
  const onDisk = async (id: string) => (await s.backend()).loadSession(id);
  const start = (id: string, bot: string, body?: unknown) => s.api<BotExecution & { error: { code: string; message: string } }>('POST', `/api/sessions/${id}/bots/${bot}/start`, body);
  const complete = (id: string, bot: string) => s.api('POST', `/api/sessions/${id}/bots/${bot}/complete`, { findings: 0, errors: 0, files: 1 });

  describe('start', () => {
    it('answers 409 FK_DEPENDENCIES_NOT_DONE naming the dependencies not done, and changes nothing', async () => {
      const id = await create(['rhodibot', 'echidnabot', 'seambot']);
      const before = (await onDisk(id)).version;
      const r = await start(id, 'seambot', {});
      expect(r.status).toBe(409);
      expect(r.json.error).toEqual({
        code: 'FK_DEPENDENCIES_NOT_DONE',
        message: 'bot "seambot" cannot start: its dependencies "rhodibot", "echidnabot" have not completed (pass { force: true } to start it anyway)',
      });
      const stored = await onDisk(id);
      expect(stored.execution('seambot')).toEqual({ bot: 'seambot', status: 'pending' });
      expect(stored.version).toBe(before);
    });

    it('starts the bot once its dependencies are completed or skipped', async () => {
      const id = await create(['rhodibot', 'echidnabot', 'seambot']);
      await start(id, 'rhodibot');
      await complete(id, 'rhodibot');
      expect((await start(id, 'seambot')).json.error.message).toMatch(/its dependency "echidnabot" has not completed/);
      await s.api('POST', `/api/sessions/${id}/bots/echidnabot/skip`, { reason: 'no proofs' });
      const r = await start(id, 'seambot');
      expect(r.status).toBe(200);
      expect(r.json.status).toBe('running');
    });

    it('starts it anyway with { "force": true }, and not with force false', async () => {
      const id = await create(['rhodibot', 'glambot']);
      expect((await start(id, 'glambot', { force: false })).status).toBe(409);
      const r = await start(id, 'glambot', { force: true });
      expect(r.status).toBe(200);
      expect(r.json.status).toBe('running');
      expect((await onDisk(id)).execution('glambot')?.status).toBe('running');
      expect((await onDisk(id)).execution('rhodibot')?.status).toBe('pending');
    });

    it('rejects any other body field or a force that is not a boolean with a 400 naming it', async () => {
      const id = await create(['rhodibot', 'glambot']);
      const unknown = await start(id, 'glambot', { forced: true });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error.code).toBe('FK_HTTP_BAD_REQUEST');
      expect((unknown.json.error as { issues?: Array<{ path: string }> }).issues?.map((i) => i.path)).toContain('body.forced');
      const text = await start(id, 'glambot', { force: 'yes' });
      expect(text.status).toBe(400);
      expect((text.json.error as { issues?: Array<{ path: string }> }).issues?.map((i) => i.path)).toContain('body.force');
      expect((await onDisk(id)).execution('glambot')?.status).toBe('pending');
    });

    it('is not held back by a dependency the session does not register', async () => {
      const id = await create(['glambot']);
      expect((await start(id, 'glambot')).json.status).toBe('running');
    });

    it('refuses an unregistered roster bot whose registered dependencies are not done without registering it', async () => {
      const id = await create(['rhodibot']);
      const r = await start(id, 'glambot');
      expect(r.status).toBe(409);
      expect(r.json.error.code).toBe('FK_DEPENDENCIES_NOT_DONE');
      // A later write stores the session again: the refused start must have left nothing in it.
      await start(id, 'rhodibot');
      const stored = await onDisk(id);
      expect(stored.bot('glambot')).toBeUndefined();
      expect([...stored.bots()].map((b) => b.id)).toEqual(['rhodibot']);
      expect((await start(id, 'glambot', { force: true })).json.status).toBe('running');
      expect((await onDisk(id)).bot('glambot')?.tier).toBe('finisher');
    });
  });

  describe('POST /api/sessions with bots as objects', () => {
    it('registers custom bots and roster bots with the tier and dependencies given, over the roster', async () => {
      const id = await create([
        'rhodibot',
        { id: 'glambot', dependsOn: [] },
        { id: 'my-linter', name: 'My Linter', tier: 'verifier', dependsOn: ['glambot'], categories: ['style'], canFix: true, version: '2.1.0', description: 'Lints.' },
        { id: 'echidnabot' },
      ]);
      const stored = await onDisk(id);
      expect([...stored.bots()].map((b) => b.id)).toEqual(['rhodibot', 'glambot', 'my-linter', 'echidnabot']);
      expect(stored.bot('glambot')).toMatchObject({ tier: 'finisher', dependsOn: [] });
      expect(stored.bot('my-linter')).toEqual({ id: 'my-linter', name: 'My Linter', description: 'Lints.', version: '2.1.0', tier: 'verifier', categories: ['style'], canFix: true, dependsOn: ['glambot'] });
      expect(stored.bot('echidnabot')?.name).toBe('Echidnabot');
      const listed = await s.api<{ bots: BotView[] }>('GET', `/api/sessions/${id}/bots`);
      expect(listed.json.bots.find((b) => b.id === 'my-linter')).toMatchObject({ tier: 'verifier', dependsOn: ['glambot'] });

      // The dependencies given are the ones that hold a start back.
      expect((await start(id, 'glambot')).status).toBe(200);
      expect((await start(id, 'my-linter')).json.error.message).toMatch(/its dependency "glambot" has not completed/);
      await complete(id, 'glambot');
      expect((await start(id, 'my-linter')).json.status).toBe('running');
    });

    it.each([
      ['a tier outside the tiers', [{ id: 'x', tier: 'boss' }], 'body.bots[0].tier', /must be one of "engine"/],
      ['an unknown field', ['rhodibot', { id: 'x', owner: 'me' }], 'body.bots[1].owner', /not a known field/],
      ['an object without id', [{ tier: 'verifier' }], 'body.bots[0].id', /is required/],
      ['dependsOn not a list', [{ id: 'x', dependsOn: 'rhodibot' }], 'body.bots[0].dependsOn', /must be array/],
      ['an empty id', [''], 'body.bots[0]', /fewer than 1 character/],
      ['a number', [7], 'body.bots[0]', /^must be string or object$/],
    ])('answers 400 for %s, naming only what is wrong with the entry, and creates no session', async (name, bots, path, message) => {
      const repoName = `bad-bots/${name}`;
      const r = await s.api('POST', '/api/sessions', { repoName, bots });
      expect(r.status).toBe(400);
      const issues = r.json.error.issues ?? [];
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) {
        expect(issue.path).toBe(path);
        // Not the other branch's complaint: an object is not told it must be a string, nor an id that it must be an object.
        expect(issue.message).not.toMatch(/anyOf|^must be (string|object)$/);
      }
      expect(issues.some((i) => message.test(i.message))).toBe(true);
      expect(await (await s.backend()).listSessions({ repo: repoName })).toEqual([]);
    });

    it('answers 400 for an id listed twice, naming the second entry, and creates no session', async () => {
      const r = await s.api('POST', '/api/sessions', { repoName: 'bad-bots/twice', bots: ['rhodibot', { id: 'glambot' }, { id: 'rhodibot', tier: 'custom' }] });
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('FK_VALIDATION');
      expect(r.json.error.issues).toEqual([{ path: 'body.bots[2].id', message: 'bot "rhodibot" is listed twice' }]);
      expect(await (await s.backend()).listSessions({ repo: 'bad-bots/twice' })).toEqual([]);
    });
  });

  describe('the client', () => {
    it('creates a session with bots as objects, and starts a held-back bot only with force', async () => {
      const client = createDashboardClient({ baseUrl: s.url, token: TOKEN, retries: 0 });
      const { sessionId } = await client.createSession({ repoName: 'deps/client', bots: ['rhodibot', { id: 'my-check', tier: 'specialist', dependsOn: ['rhodibot'] }] });
      const refused = await client.startBot(sessionId, 'my-check').then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(DashboardApiError);
      expect(refused).toMatchObject({ status: 409, code: 'FK_DEPENDENCIES_NOT_DONE' });
      expect((refused as Error).message).toMatch(/"rhodibot"/);
      expect(await client.startBot(sessionId, 'my-check', { force: true })).toMatchObject({ bot: 'my-check', status: 'running' });
      expect((await client.bots(sessionId)).find((b) => b.id === 'my-check')?.tier).toBe('specialist');
    });
  });
});

describe('the create-session body schema', () => {
  it("takes exactly the fields of the library's bot info", () => {
    expect(Object.keys(SessionBotSchema.properties).sort()).toEqual(Object.keys(BotInfoSchema.shape).sort());
  });

  it('is published in the OpenAPI document, with the force of start', async () => {
    const s = await startDashboard();
    try {
      type Op = { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, { items?: { anyOf?: unknown[] } }> } }> } };
      const doc = (await s.api<{ paths: Record<string, Record<string, Op>> }>('GET', '/api/openapi.json')).json;
      const create = doc.paths['/api/sessions']?.post?.requestBody?.content?.['application/json']?.schema;
      expect(create?.properties?.bots?.items?.anyOf).toHaveLength(2);
      const startBody = doc.paths['/api/sessions/{sessionId}/bots/{bot}/start']?.post?.requestBody?.content?.['application/json']?.schema;
      expect(startBody?.properties?.force).toEqual({ type: 'boolean' });
    } finally {
      await s.stop();
    }
  });
});
