#!/usr/bin/env node
// finishbot's placeholder scan: what is left unfinished in the code, as reviewdog rdjson on stdout.
//   node examples/self-check/bots/placeholders.mjs <dir|file>...   (from the repository root)
// Reads the .ts/.tsx/.js/.mjs/.cjs files under each argument and reports:
//   placeholder-comment   TODO (info), FIXME/XXX/HACK (warning) in a comment
//   not-implemented       a `throw new Error('not implemented' / 'TODO' …)` stub (error)
//   skipped-test          it.skip / test.todo / describe.skip / xit in a test file (warning)
//   ts-ignore             @ts-ignore or @ts-nocheck instead of @ts-expect-error (warning)
//   unexplained-disable   an eslint-disable comment without a `-- reason` (info)
import fs from 'node:fs';
import path from 'node:path';
import { emitRdjson, fail, readLines, root, walk } from './common.mjs';

const BOT = 'placeholders';
const targets = process.argv.slice(2);
if (targets.length === 0) fail(BOT, 'name at least one directory or file (usage: placeholders.mjs <dir|file>...)');
for (const t of targets) if (!fs.existsSync(path.resolve(root, t))) fail(BOT, `no such file or directory: ${t}`);

const CODE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
const TEST = /(?:^|\/)tests?\/|\.(?:test|spec)\.[^/]+$/;
// A marker counts only at the start of a comment's text, so "TODO" in a string or an identifier does not.
const MARKER = /(?:\/\/|\/\*+|^\s*\*)\s*(TODO|FIXME|XXX|HACK)\b(?:\([^)]*\))?[\s:-]*(.*?)\s*(?:\*\/)?$/;
const STUB = /throw new Error\(\s*(['"`])\s*(?:not (?:yet )?implemented|unimplemented|todo)\b/i;
const SKIP = /\b(?:(?:it|test|describe)\.(?:skip|todo)|x(?:it|describe))\s*\(/;
const IGNORE = /@ts-(ignore|nocheck)\b/;
const DISABLE = /(?:\/\/|\/\*)\s*eslint-disable(?:-next-line|-line)?\b(?![^\n]*\s--\s)/;

const diagnostics = [];
const add = (file, line, column, code, severity, message) => diagnostics.push({ file, line, column, code, severity, message });

let files;
try {
  files = [...new Set(targets.flatMap((t) => walk(t, (p) => CODE.test(p) && !p.endsWith('.d.ts'))))].sort();
} catch (err) {
  fail(BOT, `cannot read ${targets.join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
}

for (const file of files) {
  const lines = readLines(file);
  const isTest = TEST.test(file);
  lines.forEach((text, i) => {
    const line = i + 1;
    const marker = MARKER.exec(text);
    if (marker) {
      const [, word, rest] = marker;
      const severity = word === 'TODO' ? 'INFO' : 'WARNING';
      add(file, line, marker.index + 1, 'placeholder-comment', severity, `${word} left in the code${rest ? `: ${rest}` : ''}`);
    }
    const stub = STUB.exec(text);
    if (stub) add(file, line, stub.index + 1, 'not-implemented', 'ERROR', 'A stub that throws "not implemented": finish it before the release');
    const skip = isTest ? SKIP.exec(text) : null;
    if (skip) add(file, line, skip.index + 1, 'skipped-test', 'WARNING', `A skipped or to-do test (${skip[0].replace(/\s*\($/, '')}): enable it or delete it`);
    const ignore = IGNORE.exec(text);
    if (ignore) add(file, line, ignore.index + 1, 'ts-ignore', 'WARNING', `@ts-${ignore[1]} hides every error: use @ts-expect-error with the reason`);
    const disable = DISABLE.exec(text);
    if (disable) add(file, line, disable.index + 1, 'unexplained-disable', 'INFO', 'An eslint-disable comment without a reason: add "-- why" after the rule');
  });
}

process.stderr.write(`placeholders: ${diagnostics.length} finding(s) in ${files.length} files\n`);
process.exitCode = emitRdjson({ name: 'fleetkit-placeholders' }, diagnostics);
