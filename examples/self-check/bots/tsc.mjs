#!/usr/bin/env node
// echidnabot's type check: the TypeScript compiler over one or more projects,
// its diagnostics as reviewdog rdjson on stdout.
//   node examples/self-check/bots/tsc.mjs <tsconfig.json or project dir>...   (from the repository root)
// Runs the workspace's own compiler (`typescript` resolved from the root's
// package.json) as `tsc --noEmit --pretty false -p <project>`, the projects at
// once, and turns every `file(line,col): error TS1234: message` into a diagnostic.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { emitRdjson, fail, rel, root } from './common.mjs';

const BOT = 'tsc';
const projects = process.argv.slice(2);
if (projects.length === 0) fail(BOT, 'name at least one project (usage: tsc.mjs <tsconfig.json|dir>...)');
for (const p of projects) if (!fs.existsSync(path.resolve(root, p))) fail(BOT, `no such project: ${p}`);

let tsc;
let version;
try {
  const require = createRequire(path.join(root, 'package.json'));
  tsc = require.resolve('typescript/bin/tsc');
  version = require('typescript/package.json').version;
} catch {
  fail(BOT, `cannot find the typescript package from ${root}: install the dependencies (pnpm install) and run from the repository root`);
}

/** Runs tsc on one project: its stdout, or a failure when it did not run to the end. */
function check(project) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', project], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // 0: clean; 1 and 2: diagnostics found; anything else (or a signal): the compiler did not finish.
      if (signal !== null || code === null || code > 2) reject(new Error(`tsc -p ${project} ended with ${signal ?? `exit code ${code}`}: ${(err || out).trim().slice(-500)}`));
      else resolve({ project, code, out });
    });
  });
}

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;
const GLOBAL = /^(error|warning|message) (TS\d+): (.*)$/;
const SEVERITY = { error: 'ERROR', warning: 'WARNING', message: 'INFO' };

let runs;
try {
  runs = await Promise.all(projects.map(check));
} catch (err) {
  fail(BOT, err instanceof Error ? err.message : String(err));
}

const diagnostics = [];
const seen = new Set();
for (const { project, code, out } of runs) {
  let last;
  let parsed = 0;
  for (const line of out.split(/\r?\n/)) {
    const d = DIAGNOSTIC.exec(line);
    const g = d ? null : GLOBAL.exec(line);
    if (d) {
      const [, file, l, c, kind, tsCode, message] = d;
      last = { file: rel(file), line: Number(l), column: Number(c), severity: SEVERITY[kind], code: tsCode, message };
    } else if (g) {
      // A diagnostic without a place (a bad compiler option, a missing file): put it on the project's tsconfig.
      const config = fs.statSync(path.resolve(root, project)).isDirectory() ? path.join(project, 'tsconfig.json') : project;
      last = { file: rel(config), severity: SEVERITY[g[1]], code: g[2], message: g[3] };
    } else if (last && /^\s+\S/.test(line)) {
      last.message += `\n${line.trim()}`; // the indented continuation of a chained message
      continue;
    } else continue;
    parsed++;
    // Projects that include each other's sources report the same diagnostic twice.
    const key = `${last.file}:${last.line}:${last.column}:${last.code}`;
    if (!seen.has(key)) {
      seen.add(key);
      diagnostics.push(last);
    }
  }
  if (code !== 0 && parsed === 0) fail(BOT, `tsc -p ${project} failed (exit code ${code}) without a diagnostic: ${out.trim().slice(-500)}`);
}

process.stderr.write(`tsc ${version}: ${diagnostics.length} diagnostic(s) in ${projects.join(', ')}\n`);
process.exitCode = emitRdjson({ name: 'tsc', url: 'https://www.typescriptlang.org/' }, diagnostics);
