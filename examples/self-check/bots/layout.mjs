#!/usr/bin/env node
// rhodibot's layout check: how the repository is laid out, as SARIF 2.1.0 on stdout.
//   node examples/self-check/bots/layout.mjs [--max-lines N]     (from the repository root)
// Rules: a source file over N lines (default 400) in packages/*/src, a package
// without README.md or without tests, a module with a name that says nothing
// (utils.ts, helpers.ts, …), a repository without a LICENSE.
import fs from 'node:fs';
import path from 'node:path';
import { emitSarif, fail, packageDirs, readLines, root, walk } from './common.mjs';

const BOT = 'layout';
const args = process.argv.slice(2);
let maxLines = 400;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--max-lines' && /^\d+$/.test(args[i + 1] ?? '')) maxLines = Number(args[++i]);
  else fail(BOT, `unknown argument ${JSON.stringify(args[i])} (usage: layout.mjs [--max-lines N])`);
}

const RULES = {
  'long-source-file': { level: 'warning', text: `A source file is longer than ${maxLines} lines` },
  'package-without-readme': { level: 'warning', text: 'A workspace package has no README.md' },
  'package-without-tests': { level: 'warning', text: 'A workspace package has no test directory and no *.test.* file' },
  'generic-module-name': { level: 'note', text: 'A module named utils/helpers/misc/common says nothing about what it holds' },
  'missing-license': { level: 'error', text: 'The repository has no LICENSE file' },
};
const GENERIC = /^(utils?|helpers?|misc|common|stuff)\.[cm]?[jt]sx?$/;
const SOURCE = /\.[cm]?[jt]sx?$/;

const results = [];
try {
  const packages = packageDirs();
  if (packages.length === 0) fail(BOT, `no packages/*/package.json under ${root}; run it from the repository root`);
  for (const pkg of packages) {
    const has = (name) => fs.existsSync(path.join(root, pkg, name));
    if (!has('README.md')) {
      results.push({ ruleId: 'package-without-readme', file: `${pkg}/package.json`, message: `${pkg} has no README.md: say what the package is for and show how to use it` });
    }
    const tests = has('test') || has('tests') || (has('src') && walk(`${pkg}/src`, (p) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(p)).length > 0);
    if (!tests) results.push({ ruleId: 'package-without-tests', file: `${pkg}/package.json`, message: `${pkg} has no test/ directory and no *.test.* file` });
    if (!has('src')) continue;
    for (const file of walk(`${pkg}/src`, (p) => SOURCE.test(p) && !p.endsWith('.d.ts'))) {
      const lines = readLines(file);
      const count = lines.at(-1) === '' ? lines.length - 1 : lines.length;
      if (count > maxLines) {
        results.push({
          ruleId: 'long-source-file',
          file,
          line: maxLines + 1,
          message: `${file} has ${count} lines (limit ${maxLines}): split it by responsibility`,
        });
      }
      const name = path.basename(file);
      if (GENERIC.test(name)) {
        results.push({ ruleId: 'generic-module-name', file, message: `${name} says nothing about what it holds: name the module after its job` });
      }
    }
  }
  if (!['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'COPYING'].some((f) => fs.existsSync(path.join(root, f)))) {
    results.push({ ruleId: 'missing-license', file: 'LICENSE', message: 'The repository has no LICENSE file' });
  }
} catch (err) {
  fail(BOT, `cannot read the repository: ${err instanceof Error ? err.message : String(err)}`);
}

process.stderr.write(`layout: ${results.length} finding(s) in ${root}\n`);
process.exitCode = emitSarif({ name: 'fleetkit-layout', version: '1.0.0' }, RULES, results);
