import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../src/index.js';
import { FleetConfigError, loadFleetConfig, parseFleetConfig } from '../src/index.js';
import { findJsonSyntaxError, positionAt } from '../src/config/json-syntax.js';

const FILE = 'fleet.config.json';

/** A valid one-bot fleet with `bot` merged into its bot and `top` into the file. */
function fleet(bot: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { bots: [{ id: 'rhodibot', run: ['rhodibot', '--json'], ...bot }], ...top };
}

/** The issues parseFleetConfig reports for `value`; fails the test when it accepts it. */
function issuesOf(value: unknown): ConfigIssue[] {
  try {
    parseFleetConfig(value, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(FleetConfigError);
    return [...(err as FleetConfigError).issues];
  }
  throw new Error('expected the fleet file to be rejected');
}

describe('parseFleetConfig', () => {
  it('applies the defaults of a minimal fleet', () => {
    const config = parseFleetConfig(fleet(), FILE);
    expect(config.timeout).toBe('10m');
    expect(config.bots[0]).toEqual({
      id: 'rhodibot',
      run: ['rhodibot', '--json'],
      shell: false,
      output: 'stdout',
      okExitCodes: [0, 1],
      allowFailure: false,
    });
  });

  it('accepts every field of the format', () => {
    const config = parseFleetConfig(
      {
        $schema: './node_modules/@fleetkit/runner/fleet.schema.json',
        repo: 'acme/web',
        root: '..',
        jobs: 4,
        timeout: 90,
        reports: [{ format: 'markdown', out: 'fleet-report.md' }],
        gate: { failOn: 'warning', maxErrors: 0, maxWarnings: 10 },
        bots: [
          {
            id: 'eslint',
            name: 'ESLint',
            tier: 'verifier',
            run: 'npx eslint -f json . > eslint.json',
            shell: true,
            dependsOn: ['rhodibot'],
            cwd: 'packages/web',
            env: { NODE_ENV: 'ci' },
            timeout: '1.5s',
            output: 'eslint.json',
            format: 'eslint',
            okExitCodes: [0, 1, 2],
            allowFailure: true,
            files: ['**/*.ts'],
          },
          { id: 'rhodibot', run: ['rhodibot'] },
        ],
      },
      FILE,
    );
    expect(config.bots[0]).toMatchObject({ id: 'eslint', shell: true, okExitCodes: [0, 1, 2], timeout: '1.5s' });
    expect(config.gate).toEqual({ failOn: 'warning', maxErrors: 0, maxWarnings: 10 });
  });

  it('writes roster bots in their roster spelling, in ids and dependencies', () => {
    const config = parseFleetConfig(
      { bots: [{ id: 'Finishing-Bot', run: ['x'], dependsOn: ['Rhodi-Bot', 'GLAMBOT'] }, { id: 'rhodibot', run: ['x'] }, { id: 'glambot', run: ['x'] }] },
      FILE,
    );
    expect(config.bots.map((b) => b.id)).toEqual(['finishbot', 'rhodibot', 'glambot']);
    expect(config.bots[0]?.dependsOn).toEqual(['rhodibot', 'glambot']);
  });

  it('accepts lower-case kebab-case custom ids and rejects other ids that are not roster bots', () => {
    expect(parseFleetConfig(fleet({ id: 'my-linter2', tier: 'custom' }), FILE).bots[0]?.id).toBe('my-linter2');
    for (const id of ['My Linter', 'my_linter', '-linter', 'linter-', '2linter', 'a'.repeat(201)]) {
      const issues = issuesOf(fleet({ id }));
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toEqual(['bots', 0, 'id']);
      expect(issues[0]?.message).toMatch(/not a roster bot, nor a custom id \(lower-case kebab-case/);
    }
    expect(issuesOf(fleet({ id: '' }))).toEqual([{ path: ['bots', 0, 'id'], message: 'must not be empty' }]);
  });

  it('reports each unknown key on its own, at its place', () => {
    const issues = issuesOf({ ...fleet({ foo: 1, bar: 2 }), extra: true, gate: { failOnn: 'error' } });
    // zod lists an object's unknown keys after the problems inside it; which comes first does not matter.
    expect(issues).toHaveLength(4);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ['extra'], message: 'unknown key "extra"' },
        { path: ['gate', 'failOnn'], message: 'unknown key "failOnn"' },
        { path: ['bots', 0, 'foo'], message: 'unknown key "foo"' },
        { path: ['bots', 0, 'bar'], message: 'unknown key "bar"' },
      ]),
    );
  });

  it('lists the allowed values of a wrong enum value', () => {
    const [report] = issuesOf(fleet({}, { reports: [{ format: 'xml', out: 'r.xml' }] }));
    expect(report).toEqual({ path: ['reports', 0, 'format'], message: 'must be one of "markdown", "json", "html", "sarif"' });
    const [tier] = issuesOf(fleet({ tier: 'boss' }));
    expect(tier?.path).toEqual(['bots', 0, 'tier']);
    expect(tier?.message).toBe('must be one of "engine", "verifier", "finisher", "specialist", "executor", "custom"');
    expect(issuesOf(fleet({ format: 'xml' }))[0]?.message).toMatch(/^must be one of "fleetkit-finding", .*"sarif", "eslint"/);
  });

  it('names a missing field as required and a wrong type by its JSON type', () => {
    expect(issuesOf({ bots: [{ run: ['x'] }] })).toEqual([{ path: ['bots', 0, 'id'], message: 'required' }]);
    expect(issuesOf({})).toEqual([{ path: ['bots'], message: 'required' }]);
    expect(issuesOf([])).toEqual([{ path: [], message: 'must be an object, not an array' }]);
    expect(issuesOf(fleet({ env: { NODE_ENV: 1 } }))).toEqual([{ path: ['bots', 0, 'env', 'NODE_ENV'], message: 'must be a string, not a number' }]);
    expect(issuesOf(fleet({ shell: 'yes' }))).toEqual([{ path: ['bots', 0, 'shell'], message: 'must be a boolean, not a string' }]);
  });

  it('requires a string command to run with shell: true, and a shell command to be a string', () => {
    const [asString] = issuesOf(fleet({ run: 'npx eslint .' }));
    expect(asString?.path).toEqual(['bots', 0, 'run']);
    expect(asString?.message).toMatch(/use an argv array .*, or set "shell": true/);
    const [asArray] = issuesOf(fleet({ run: ['npx', 'eslint'], shell: true }));
    expect(asArray?.path).toEqual(['bots', 0, 'run']);
    expect(asArray?.message).toMatch(/with "shell": true, "run" must be a string/);
    expect(parseFleetConfig(fleet({ run: 'npx eslint . | tee out', shell: true }), FILE).bots[0]?.run).toBe('npx eslint . | tee out');
  });

  it('rejects an empty command, an empty program and a command of another type', () => {
    expect(issuesOf(fleet({ run: [] }))).toEqual([{ path: ['bots', 0, 'run'], message: 'must not be empty: the first element is the program' }]);
    expect(issuesOf(fleet({ run: ['', 'x'] }))).toEqual([{ path: ['bots', 0, 'run', 0], message: 'the program must not be empty' }]);
    expect(issuesOf(fleet({ run: [1] }))).toEqual([{ path: ['bots', 0, 'run', 0], message: 'must be a string, not a number' }]);
    expect(issuesOf(fleet({ run: 42 }))[0]?.message).toBe('must be an argv array of strings such as ["npx", "eslint", "."], or a script string with "shell": true');
  });

  it('accepts timeouts as positive seconds or as durations', () => {
    for (const timeout of [600, 0.5, '500ms', '30s', '1.5s', '10m', '1h', '24h']) {
      expect(parseFleetConfig(fleet({ timeout }, { timeout }), FILE).bots[0]?.timeout).toBe(timeout);
    }
  });

  it('rejects timeouts that are not positive durations, or longer than a timer can wait', () => {
    const cases: [unknown, RegExp][] = [
      [0, /more than 0 seconds/],
      [-5, /more than 0 seconds/],
      ['0s', /more than no time/],
      ['10 minutes', /must be a duration such as "500ms"/],
      ['10', /must be a duration/],
      ['1d', /must be a duration/],
      [30 * 86_400, /at most 24 days/],
      ['600h', /at most 24 days/],
      [true, /must be seconds \(a positive number\), or a duration/],
    ];
    for (const [timeout, message] of cases) {
      const issues = issuesOf(fleet({ timeout }));
      expect(issues, String(timeout)).toHaveLength(1);
      expect(issues[0]?.path).toEqual(['bots', 0, 'timeout']);
      expect(issues[0]?.message).toMatch(message);
    }
  });

  it('checks exit codes, globs, jobs, gate limits and environment names', () => {
    expect(issuesOf(fleet({ okExitCodes: [] }))[0]).toEqual({ path: ['bots', 0, 'okExitCodes'], message: 'must list at least one exit code' });
    expect(issuesOf(fleet({ okExitCodes: [0, 256] }))[0]).toEqual({ path: ['bots', 0, 'okExitCodes', 1], message: 'must be 0 to 255' });
    expect(issuesOf(fleet({ okExitCodes: [1.5] }))[0]).toEqual({ path: ['bots', 0, 'okExitCodes', 0], message: 'must be a whole number' });
    expect(issuesOf(fleet({ files: [] }))[0]?.path).toEqual(['bots', 0, 'files']);
    expect(issuesOf(fleet({ files: [''] }))[0]).toEqual({ path: ['bots', 0, 'files', 0], message: 'a glob must not be empty' });
    expect(issuesOf(fleet({}, { jobs: 0 }))[0]).toEqual({ path: ['jobs'], message: 'must be 1 or more' });
    expect(issuesOf(fleet({}, { jobs: 2.5 }))[0]).toEqual({ path: ['jobs'], message: 'must be a whole number' });
    expect(issuesOf(fleet({}, { gate: { maxErrors: -1 } }))[0]).toEqual({ path: ['gate', 'maxErrors'], message: 'must be 0 or more' });
    expect(issuesOf(fleet({}, { gate: { failOn: 'info' } }))[0]).toEqual({ path: ['gate', 'failOn'], message: 'must be one of "error", "warning"' });
    expect(issuesOf(fleet({ env: { 'A=B': 'x' } }))[0]).toEqual({
      path: ['bots', 0, 'env', 'A=B'],
      message: 'an environment variable name must not be empty nor contain "="',
    });
    expect(issuesOf({ bots: [] })).toEqual([{ path: ['bots'], message: 'must list at least one bot' }]);
  });

  it('reports every problem of the file at once, in one error naming the file', () => {
    let error: unknown;
    try {
      parseFleetConfig({ jobs: -1, bots: [{ id: 'rhodibot', run: 'x' }, { id: 'glambot', run: ['x'], timeout: 'soon', colour: 'red' }] }, 'ci/fleet.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FleetConfigError);
    const e = error as FleetConfigError;
    expect(e.code).toBe('FK_RUN_CONFIG');
    expect(e.file).toBe('ci/fleet.json');
    expect(e.issues.map((i) => i.path)).toEqual([['jobs'], ['bots', 0, 'run'], ['bots', 1, 'timeout'], ['bots', 1, 'colour']]);
    expect(e.message).toMatch(/^ci\/fleet\.json: 4 problems:\n {2}jobs: must be 1 or more\n {2}bots\[0\]\.run: /);
  });
});

describe('loadFleetConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fleet-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, text: string): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  /** The error loading `file` throws; fails the test when it loads. */
  const loadError = async (file: string): Promise<FleetConfigError> => {
    const error: unknown = await loadFleetConfig(file).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(FleetConfigError);
    return error as FleetConfigError;
  };

  it('reads and validates a fleet file', async () => {
    const file = await write('ok.json', JSON.stringify(fleet({}, { jobs: 2 }), null, 2));
    const config = await loadFleetConfig(file);
    expect(config.jobs).toBe(2);
    expect(config.bots[0]?.okExitCodes).toEqual([0, 1]);
  });

  it('accepts a byte-order mark', async () => {
    const file = await write('bom.json', `\uFEFF${JSON.stringify(fleet())}`);
    expect((await loadFleetConfig(file)).bots).toHaveLength(1);
  });

  it('reports a missing file, and a directory, as a FleetConfigError naming the file as given', async () => {
    const missing = path.join(dir, 'nope.json');
    const error = await loadError(missing);
    expect(error.file).toBe(missing);
    expect(error.issues).toEqual([{ path: [], message: 'cannot read the fleet file: it does not exist' }]);
    expect(error.message).toBe(`${missing}: cannot read the fleet file: it does not exist`);
    await mkdir(path.join(dir, 'a-dir.json'));
    expect((await loadError(path.join(dir, 'a-dir.json'))).issues[0]?.message).toBe('cannot read the fleet file: it is a directory');
  });

  it('gives the line and column of invalid JSON', async () => {
    const text = '{\n  "bots": [\n    { "id": "rhodibot", "run": ["x"], }\n  ]\n}\n';
    const error = await loadError(await write('comma.json', text));
    expect(error.issues).toEqual([{ path: [], message: 'invalid JSON at line 3, column 39: a trailing comma is not allowed in JSON' }]);
    const comment = await loadError(await write('comment.json', '{\n  // the fleet\n  "bots": []\n}'));
    expect(comment.issues[0]?.message).toBe('invalid JSON at line 2, column 3: comments are not allowed in JSON');
    const empty = await loadError(await write('empty.json', ''));
    expect(empty.issues[0]?.message).toBe('invalid JSON at line 1, column 1: unexpected end of file');
  });

  it('reports what is wrong with the content after it parses', async () => {
    const error = await loadError(await write('bad.json', JSON.stringify({ bots: [{ id: 'rhodibot' }] })));
    expect(error.issues).toEqual([{ path: ['bots', 0, 'run'], message: 'required' }]);
  });
});

describe('findJsonSyntaxError', () => {
  const parses = (text: string): boolean => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  it('finds an error exactly when JSON.parse fails, for JSON texts and their mutations', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\\', '\n', ':', '0', '-', 'tru', '/', ' '), fc.nat(2))
      .map(([text, at, insert, remove]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + remove);
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated), (text) => {
        const error = findJsonSyntaxError(text);
        expect(error === undefined).toBe(parses(text));
        if (error !== undefined) expect(error.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('points at the offending character', () => {
    expect(findJsonSyntaxError('{"a": 1 "b": 2}')).toEqual({ offset: 8, message: 'expected "," or "}", found "\\""' });
    expect(findJsonSyntaxError('[1, 2,]')).toEqual({ offset: 6, message: 'a trailing comma is not allowed in JSON' });
    expect(findJsonSyntaxError('{"a": True}')?.message).toMatch(/^expected a value, found True/);
    expect(findJsonSyntaxError('{"a": "x\ny"}')?.offset).toBe(8);
    expect(findJsonSyntaxError('[' .repeat(100_000))?.message).toBe('unexpected end of file');
  });

  it('counts lines and columns from 1', () => {
    expect(positionAt('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\ncd\n', 6)).toEqual({ line: 3, column: 1 });
  });
});
