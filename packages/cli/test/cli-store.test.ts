/**
 * `fleet` with a storage: import into it, then report, gate and health from
 * it by session id — on a directory and on PostgreSQL (the real server the
 * test setup started), with the same answers as from session files. A bad
 * `--store` exits 2 with a clear message that never shows the password.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPostgres } from '@fleetkit/testing-postgres';
import { buildCli, corpus, fleet } from './run-fleet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-store-'));
const inputs = [path.join(corpus, 'gitbot-fleet/findings/echidnabot/latest.json'), path.join(corpus, 'sarif/valid-sarif.sarif')];
const server = testPostgres();
const stores: Record<'files' | 'postgres', string> = { files: path.join(dir, 'store'), postgres: '' };
/** The output without what depends on when it was made (the time of the report or check, and durations up to now). */
const untimed = (text: string): string =>
  text.replace(/"(generatedAt|checkedAt|timestamp)": ?"[^"]*"/g, '"$1":"…"').replace(/"(sessionDurationMs|elapsedMs)": ?\d+/g, '"$1":0');

beforeAll(async () => {
  buildCli();
  stores.postgres = await server.createDatabase();
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['files', 'postgres'] as const)('fleet with --store (%s)', (kind) => {
  let sessionId = '';

  it('imports into the storage, writing no session file unless --out asks', () => {
    const r = fleet(['import', ...inputs, '--repo', 'acme/web', '--store', stores[kind], '--json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sessionId: string; session: string | null; store: string; findingsImported: number };
    expect(out.session).toBeNull();
    expect(out.findingsImported).toBeGreaterThan(10);
    expect(out.store).not.toContain(server.password);
    sessionId = out.sessionId;
    const file = fleet(['import', ...inputs, '--repo', 'acme/web', '--store', stores[kind], '--out', `${kind}.json`, '--quiet'], dir);
    expect(file.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, `${kind}.json`), 'utf8'))).toMatchObject({ repoName: 'acme/web' });
  });

  it('reports, gates and checks health from the storage as from the file', () => {
    const fileId = (JSON.parse(readFileSync(path.join(dir, `${kind}.json`), 'utf8')) as { sessionId: string }).sessionId;
    for (const args of [['report', '--format', 'json'], ['gate', '--json'], ['health', '--json']]) {
      const fromStore = fleet([...args, '--store', stores[kind], '--session', fileId], dir);
      const fromFile = fleet([...args, '--session', `${kind}.json`], dir);
      expect(fromStore.stderr, args.join(' ')).toBe('');
      expect(fromStore.code, args.join(' ')).toBe(fromFile.code);
      expect(untimed(fromStore.stdout), args.join(' ')).toBe(untimed(fromFile.stdout));
    }
  });

  it('reads the storage from FLEETKIT_STORE, so a password can stay out of the command line', () => {
    const r = fleet(['gate', '--session', sessionId], dir, { FLEETKIT_STORE: stores[kind] });
    expect(r.stdout).toContain(`session ${sessionId}`);
    expect([0, 1]).toContain(r.code);
  });

  it('compares with a baseline by id', () => {
    const r = fleet(['gate', '--store', stores[kind], '--session', sessionId, '--baseline', sessionId, '--new-only', '--json'], dir);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ passed: true, baseline: { new: 0 } });
  });

  it('exits 2 naming an unknown session id', () => {
    const r = fleet(['report', '--store', stores[kind], '--session', 'no-such-session'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no session "no-such-session"');
  });
});

describe('fleet with a --store that cannot be used', () => {
  const withPassword = (url: string, password: string): string => {
    const u = new URL(url);
    u.password = password;
    return u.toString();
  };

  it('exits 2 for a malformed URL, a wrong password, a missing database, an unreachable server', () => {
    const base = new URL(stores.postgres);
    const cases: Array<[string, RegExp]> = [
      ['postgres://fleetkit:Pw-1@127.0.0.1:99999/x', /malformed/],
      [withPassword(stores.postgres, 'Wrong-Pass-7'), /wrong user name or password/],
      [`postgres://fleetkit:${encodeURIComponent(server.password)}@127.0.0.1:${base.port}/no_such_db`, /does not exist/],
      ['postgres://fleetkit:Pw-1@127.0.0.1:1/x', /unavailable/],
    ];
    for (const [url, why] of cases) {
      const r = fleet(['health', '--store', url, '--session', 'x'], dir);
      expect(r.code, url).toBe(2);
      expect(r.stderr, url).toMatch(why);
      for (const secret of ['Pw-1', 'Wrong-Pass-7', server.password]) expect(r.stderr, url).not.toContain(secret);
      const imp = fleet(['import', inputs[0]!, '--repo', 'r', '--store', url], dir);
      expect(imp.code, url).toBe(2);
      expect(imp.stdout, url).toBe('');
    }
  });
});
