import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@fleetkit/shared-context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, corpus, fleet } from './run-fleet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-import-'));
const inputs = path.join(dir, 'inputs');
const sarifLog = JSON.parse(readFileSync(path.join(corpus, 'sarif', 'valid-sarif.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
const sarifResults = sarifLog.runs.reduce((n, r) => n + r.results.length, 0);
beforeAll(() => {
  buildCli();
  mkdirSync(path.join(inputs, 'nested'), { recursive: true });
  copyFileSync(path.join(corpus, 'sarif', 'valid-sarif.sarif'), path.join(inputs, 'codeql.sarif'));
  const submission = path.join(corpus, 'gitbot-fleet', 'findings', 'proven', '20260206-213729.json');
  copyFileSync(submission, path.join(inputs, 'scan.json'));
  // The same scan again, as the corpus's latest.json copies do: de-duplicated, not double-counted.
  copyFileSync(submission, path.join(inputs, 'nested', 'latest.json'));
  writeFileSync(path.join(inputs, 'empty.json'), '');
  writeFileSync(path.join(inputs, 'pointer.json'), '1773540317.json');
  writeFileSync(path.join(inputs, 'log.json'), '\u001b[0;34m[INFO]\u001b[0m Scanning\n[\n{"severity":"high"}\n]\n');
  writeFileSync(path.join(inputs, 'deep.json'), '['.repeat(10_000) + ']'.repeat(10_000));
  symlinkSync(path.join(inputs, 'gone.json'), path.join(inputs, 'dangling.json'));
  symlinkSync(inputs, path.join(inputs, 'nested', 'loop'));
  execFileSync('mkfifo', [path.join(inputs, 'pipe.json')]);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Summary {
  filesRead: number;
  filesImported: number;
  filesRejected: number;
  findingsRead: number;
  findingsImported: number;
  duplicatesMerged: number;
  byFormat: Record<string, { files: number; findings: number }>;
  rejectedFiles: { file: string; code: string; reason: string }[];
  problems: { path: string; reason: string }[];
}

describe('fleet import', () => {
  it('imports a directory with bad files in it, names each bad file and its reason, and exits 0', () => {
    const r = fleet(['import', 'inputs', '--repo', 'acme/web', '--out', 'session.json', '--json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    const raw = (JSON.parse(readFileSync(path.join(inputs, 'scan.json'), 'utf8')) as { findings: unknown[] }).findings.length;
    expect(s.byFormat).toEqual({ sarif: { files: 1, findings: sarifResults }, 'scanner-submission': { files: 2, findings: 2 * raw } });
    const codes = Object.fromEntries(s.rejectedFiles.map((f) => [path.basename(f.file), f.code]));
    expect(codes).toEqual({ 'empty.json': 'empty', 'pointer.json': 'filename_only', 'log.json': 'log_text', 'deep.json': 'too_deep', 'pipe.json': 'not_a_file' });
    expect(s.problems.map((p) => [path.basename(p.path), p.reason.split(':')[0]])).toEqual(
      expect.arrayContaining([['dangling.json', 'no such file or directory (or a dangling symlink)'], ['loop', 'directory loop']]),
    );
    expect(s.findingsRead).toBe(sarifResults + 2 * raw);
    expect(s.findingsImported + s.duplicatesMerged).toBe(s.findingsRead);
    expect(s.duplicatesMerged).toBeGreaterThanOrEqual(raw);
    const ctx = Context.fromJSON(JSON.parse(readFileSync(path.join(dir, 'session.json'), 'utf8')));
    expect(ctx.repoName).toBe('acme/web');
    expect(ctx.findings.size).toBe(s.findingsImported);
    expect(ctx.execution('hypatia')?.status).toBe('completed');
  });

  it('prints a readable summary with the reasons, and exits 1 under --strict', () => {
    const r = fleet(['import', 'inputs', '--repo', 'acme/web', '--out', 'strict.json', '--strict'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Imported \d+ findings from 3 of 8 files/);
    expect(r.stdout).toContain('inputs/pointer.json: the input holds only a file name ("1773540317.json")');
    expect(r.stdout).toContain('inputs/deep.json: the input is nested more than 256 levels deep [too_deep]');
    expect(r.stderr).toContain('directory loop');
  });

  it('refuses a 200 MB file over --max-size before reading it, and reads one under the default limit', () => {
    const big = path.join(dir, 'big');
    mkdirSync(big);
    const sparse = openSync(path.join(big, 'sparse.json'), 'w');
    ftruncateSync(sparse, 200 * 1024 * 1024);
    closeSync(sparse);
    const limited = fleet(['import', 'big', '--repo', 'r', '--out', 'big.json', '--max-size', '100MB', '--json'], dir);
    expect(limited.code).toBe(0);
    expect((JSON.parse(limited.stdout) as Summary).rejectedFiles[0]).toMatchObject({ code: 'too_large' });
    // 200 MB of real JSON (one long string): read, parsed and rejected as not findings, without a crash.
    const fd = openSync(path.join(big, 'sparse.json'), 'w');
    writeSync(fd, '{"padding":"');
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 200; i++) writeSync(fd, chunk);
    writeSync(fd, '"}');
    closeSync(fd);
    const full = fleet(['import', 'big', '--repo', 'r', '--out', 'big.json', '--json'], dir);
    expect(full.code).toBe(0);
    expect((JSON.parse(full.stdout) as Summary).rejectedFiles[0]).toMatchObject({ code: 'unknown_format' });
    rmSync(big, { recursive: true });
  });

  it('expands globs and exits 2 when no input exists at all', () => {
    const r = fleet(['import', 'inputs/*.sarif', '--repo', 'r', '--out', 'glob.json', '--json', '--source', 'Finishing-Bot'], dir);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Summary).byFormat).toEqual({ sarif: { files: 1, findings: sarifResults } });
    // The SARIF tools are not roster bots, so --source (an alias of finishbot) is credited.
    const ctx = Context.fromJSON(JSON.parse(readFileSync(path.join(dir, 'glob.json'), 'utf8')));
    expect([...ctx.findings.sources()]).toEqual(['finishbot']);
    const none = fleet(['import', 'missing/*.json', 'absent.json', '--repo', 'r'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no input file found');
    expect(none.stderr).toContain('absent.json: no such file');
  });

  it('shows a progress line on a terminal only', () => {
    const quoted = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
    const cmd = [process.execPath, path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'bin.js'), 'import', 'inputs', '--repo', 'r', '--out', 'tty.json'].map(quoted).join(' ');
    const tty = execFileSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    expect(tty).toMatch(/importing: \d+\/8 files read/);
    const piped = fleet(['import', 'inputs', '--repo', 'r', '--out', 'tty.json'], dir);
    expect(piped.stdout + piped.stderr).not.toContain('importing:');
  });
});
