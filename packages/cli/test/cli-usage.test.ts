import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli-options.js';
import { buildCli, fleet } from './run-fleet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-usage-'));
beforeAll(buildCli, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet help and usage errors', () => {
  it('lists every command in the main help and exits 0 for --help, 2 without a command', () => {
    const help = fleet(['--help'], dir);
    expect(help.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toContain(`  ${name}`);
    const none = fleet([], dir);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: fleet <command>');
  });

  it.each(Object.keys(COMMANDS))('documents every option of `fleet %s --help`', (name) => {
    const r = fleet([name, '--help'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: fleet ${name}`);
    for (const opt of Object.keys(COMMANDS[name as keyof typeof COMMANDS].options)) expect(r.stdout).toContain(`--${opt}`);
    expect(fleet([name, '-h'], dir).stdout).toBe(r.stdout);
  });

  it.each([
    [['frob'], 'unknown command "frob"'],
    [['bots', '--colour'], 'unknown option --colour'],
    [['bots', '--tier', 'admiral'], '--tier must be one of'],
    [['import', 'x.json'], 'missing required option --repo'],
    [['import', '--repo', 'r'], 'no input given'],
    [['health'], 'missing required option --session'],
    [['health', '--session', 's.json', 'extra'], 'unexpected argument "extra"'],
    [['gate', '--session', 's.json', '--max-errors', 'many'], '--max-errors must be a whole number'],
    [['gate', '--session', 's.json', '--fail-on', 'info'], '--fail-on must be one of error, warning'],
    [['gate', '--session', 's.json', '--new-only'], '--new-only needs --baseline'],
    [['report', '--session', 's.json', '--format', 'pdf'], '--format must be one of markdown, json, html, sarif'],
    [['import', 'a.json', '--repo', 'r', '--max-size', 'huge'], '--max-size must be a size'],
    [['import', 'a.json', '--repo', 'r', '--source', ' '], '--source must be a bot name'],
  ])('rejects `fleet %j` with exit 2 and a message on stderr', (args, message) => {
    const r = fleet(args, dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/--help` for usage/);
  });

  it('exits 2 with the file name when a session file is missing or is not a session', () => {
    const missing = fleet(['health', '--session', 'nope.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read session nope.json: no such file');
    const notSession = fleet(['gate', '--session', path.join(dir, '..')], dir);
    expect(notSession.code).toBe(2);
    expect(notSession.stderr).not.toContain('internal error');
  });
});
