import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context, ContextStorage, NotFoundError, REPO_HISTORY_LIMIT, ValidationError, readSessionRecords } from '../src/index.js';
import type { RepoState } from '../src/index.js';
import { requireCorpus } from './support/paths.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetkit-storage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

function session(repo: string, id: string, t0: number, errors: number, warnings = 0): Context {
  const clock = { t: t0 };
  const ctx = new Context(repo, `/src/${repo}`, { now: () => clock.t, sessionId: id });
  ctx.registerBot('rhodibot');
  ctx.startBot('rhodibot');
  clock.t += 1000;
  const findings = [
    ...Array.from({ length: errors }, (_, i) => ({ source: 'rhodibot', ruleId: `e${i}`, severity: 'error' as const, message: `error ${i}`, file: 'a.ts' })),
    ...Array.from({ length: warnings }, (_, i) => ({ source: 'rhodibot', ruleId: `w${i}`, severity: 'warning' as const, message: `warning ${i}`, file: 'b.ts' })),
  ];
  ctx.addFindings(findings);
  ctx.completeBot('rhodibot', { findings: findings.length, errors, files: 2 });
  ctx.completeSession();
  return ctx;
}

describe('ContextStorage on the real file system', () => {
  it('saves, lists and loads sessions', async () => {
    const storage = new ContextStorage(dir);
    const a = session('alpha', 's1', 0, 1);
    const b = session('beta', 's2', 0, 0, 2);
    const path = await storage.saveContext(a);
    await storage.saveContext(b);
    expect(relative(dir, path)).toBe(join('sessions', 'alpha', 's1.json'));
    const loaded = await storage.loadContext('s1');
    expect(loaded.toJSON()).toEqual(a.toJSON());
    expect((await storage.listSessions()).map((s) => s.sessionId).sort()).toEqual(['s1', 's2']);
    expect((await storage.listSessions({ repo: 'beta' })).map((s) => s.sessionId)).toEqual(['s2']);
    expect(await storage.listRepos()).toEqual(['alpha', 'beta']);
    expect(await storage.hasSession('s2')).toBe(true);
    await expect(storage.loadContext('nope')).rejects.toThrow(NotFoundError);
    expect(await storage.deleteSession('s2')).toBe(true);
    expect(await storage.deleteSession('s2')).toBe(false);
  });

  it('records history: last 100 sessions, findings followed across sessions, and a trend', async () => {
    const storage = new ContextStorage(dir);
    let state: RepoState | undefined;
    state = await storage.recordSession(session('r', 'a', 0, 3));
    expect(state.findings).toHaveLength(3);
    expect(state.findings.every((f) => f.sessionsPresent === 1 && !f.resolved)).toBe(true);
    state = await storage.recordSession(session('r', 'b', 10_000, 2));
    const e0 = state.findings.find((f) => f.ruleId === 'e0')!;
    const e2 = state.findings.find((f) => f.ruleId === 'e2')!;
    expect(e0).toMatchObject({ sessionsPresent: 2, resolved: false, firstSeenSession: 'a' });
    expect(e2.resolved).toBe(true);
    expect(state.trend).toBe('improving');
    state = await storage.recordSession(session('r', 'c', 20_000, 9));
    expect(state.trend).toBe('declining');
    expect((await storage.loadRepoState('r'))?.sessions).toHaveLength(3);
    for (let i = 0; i < REPO_HISTORY_LIMIT + 5; i++) state = await storage.recordSession(session('r', `x${i}`, 30_000 + i, 1));
    const kept = readSessionRecords(state!).records;
    expect(kept).toHaveLength(REPO_HISTORY_LIMIT);
    expect(kept.at(-1)?.sessionId).toBe(`x${REPO_HISTORY_LIMIT + 4}`);
    expect(state!.trend).toBe('stable');
    expect(await storage.loadRepoState('missing')).toBeUndefined();
  });

  it('keeps only the newest sessions of each repo on cleanup', async () => {
    const storage = new ContextStorage(dir);
    for (let i = 0; i < 5; i++) {
      const path = await storage.saveContext(session('r', `s${i}`, i, 0));
      const t = new Date(Date.UTC(2026, 0, 1, 0, i));
      const { utimes } = await import('node:fs/promises');
      await utimes(path, t, t);
    }
    await storage.saveContext(session('other', 'o1', 0, 0));
    expect((await storage.cleanupSessions(2)).sort()).toEqual(['s0', 's1', 's2']);
    expect((await storage.listSessions({ repo: 'r' })).map((s) => s.sessionId)).toEqual(['s4', 's3']);
    expect(await storage.hasSession('o1')).toBe(true);
    await expect(storage.cleanupSessions(-1)).rejects.toThrow(ValidationError);
  });

  it('exports and imports a session anywhere', async () => {
    const storage = new ContextStorage(join(dir, 'store'));
    const ctx = session('r', 's', 0, 1);
    const file = join(dir, 'out', '..', 'export.json');
    await storage.exportContext(ctx, file);
    expect((await storage.importContext(file)).toJSON()).toEqual(ctx.toJSON());
    await expect(storage.importContext(join(dir, 'none.json'))).rejects.toThrow(NotFoundError);
  });

  it.each(['../x', '../../etc/passwd', '/etc/passwd', 'a/b', 'a\\b', 'nul\u0000byte', '.', '..', '.hidden', 'C:\\x', '%2e%2e'])(
    'never writes outside the storage directory for the name %j',
    async (name) => {
      const storage = new ContextStorage(join(dir, 'store'));
      const ctx = new Context(name, '/x', { sessionId: name });
      await storage.saveContext(ctx);
      await storage.recordSession(ctx);
      const files = await walk(dir);
      for (const f of files) expect(resolve(f).startsWith(resolve(dir, 'store') + '/')).toBe(true);
      expect(files.every((f) => !/\.\.[/\\]/.test(relative(join(dir, 'store'), f)) && !f.includes('\u0000'))).toBe(true);
      expect((await storage.loadContext(name)).repoName).toBe(name);
      expect(await storage.listRepos()).toEqual([name]);
    },
  );

  it('rejects empty and over-long names', async () => {
    const storage = new ContextStorage(dir);
    await expect(storage.loadContext('')).rejects.toThrow(ValidationError);
    await expect(storage.loadRepoState('x'.repeat(201))).rejects.toThrow(ValidationError);
  });

  it('leaves one valid file and no temporary files after concurrent saves of one session', async () => {
    const storage = new ContextStorage(dir);
    const ctx = session('r', 'same', 0, 0);
    const copies = Array.from({ length: 20 }, (_, i) => {
      const c = Context.fromJSON(JSON.parse(JSON.stringify(ctx)));
      c.setData('writer', i);
      return c;
    });
    await Promise.all(copies.map((c) => storage.saveContext(c)));
    const files = await walk(dir);
    expect(files.map((f) => relative(dir, f))).toEqual([join('sessions', 'r', 'same.json')]);
    const loaded = await storage.loadContext('same');
    expect(typeof loaded.getData('writer')).toBe('number');
  });

  it('names the file when it is not JSON or not a context', async () => {
    const storage = new ContextStorage(dir);
    await storage.saveContext(session('r', 'broken', 0, 0));
    const path = join(dir, 'sessions', 'r', 'broken.json');
    await writeFile(path, '{ not json');
    await expect(storage.loadContext('broken')).rejects.toThrow(ValidationError);
    await expect(storage.loadContext('broken')).rejects.toThrow(path);
    await writeFile(path, '{"hello":"world"}');
    await expect(storage.loadContext('broken')).rejects.toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: invalid input`));
    await writeFile(join(dir, 'repos.json'), '');
    const repoDir = join(dir, 'repos');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(repoDir, { recursive: true });
    await writeFile(join(repoDir, 'r.json'), '[1,2,3]');
    await expect(storage.loadRepoState('r')).rejects.toThrow(join(repoDir, 'r.json'));
  });

  it('refuses a file over the read limit before reading it', async () => {
    const storage = new ContextStorage(dir, { maxReadBytes: 100 });
    const big = join(dir, 'big.json');
    await writeFile(big, JSON.stringify({ pad: 'x'.repeat(500) }));
    await expect(storage.importContext(big)).rejects.toThrow(/over the limit of 100/);
  });

  it('rejects every file of the real corpus when read as a context, cleanly and by name', async () => {
    const corpus = requireCorpus();
    const storage = new ContextStorage(dir);
    const files = await walk(corpus);
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const err = await storage.importContext(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, file).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).source).toBe(file);
      expect((err as ValidationError).message.startsWith(`${file}: `)).toBe(true);
    }
    // Nothing was written into the corpus or the storage directory.
    expect(await walk(dir)).toEqual([]);
    expect((await stat(corpus)).isDirectory()).toBe(true);
  });
});
