#!/usr/bin/env node
// seambot's package contract check: publint over every workspace package
// (packages/*), as a SARIF 2.1.0 file.
//   node examples/self-check/bots/publint.mjs --out FILE [--strict]   (from the repository root)
// publint packs each package with its package manager and checks what the
// package.json promises (exports, main, types, bin, files) against what would
// be published. Each message is placed on the package.json line of the field
// it is about. FILE is removed first, so a run that fails leaves no stale file.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { emitSarif, fail, packageDirs, readLines, root } from './common.mjs';

const BOT = 'publint';
const args = process.argv.slice(2);
let out;
let strict = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out' && args[i + 1]) out = args[++i];
  else if (args[i] === '--strict') strict = true;
  else fail(BOT, `unknown argument ${JSON.stringify(args[i])} (usage: publint.mjs --out FILE [--strict])`);
}
if (out === undefined) fail(BOT, 'name the SARIF file to write with --out FILE');
fs.rmSync(path.resolve(root, out), { force: true });

let publint;
let formatMessage;
let version;
try {
  // The repository's own publint, as `pnpm lint` runs it.
  const require = createRequire(path.join(root, 'package.json'));
  const main = require.resolve('publint');
  ({ publint } = await import(pathToFileURL(main).href));
  ({ formatMessage } = await import(pathToFileURL(require.resolve('publint/utils')).href));
  version = JSON.parse(fs.readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')).version;
} catch (err) {
  fail(BOT, `cannot load publint (a devDependency of the repository root; run pnpm install): ${err instanceof Error ? err.message : String(err)}`);
}

const LEVEL = { error: 'error', warning: 'warning', suggestion: 'note' };

/**
 * The 1-based line of the package.json field at `keys` (e.g. exports → "." → types): each key
 * searched after its parent's line, at its depth's indentation when the file is indented by two.
 */
function lineOf(lines, keys) {
  let line = 0;
  keys.forEach((key, depth) => {
    if (/^\d+$/.test(key)) return; // an array index has no key of its own
    const quoted = `${JSON.stringify(key)}:`;
    const after = (test) => lines.findIndex((l, i) => i >= line && test(l));
    let found = after((l) => l.startsWith(`${' '.repeat(2 * (depth + 1))}${quoted}`));
    if (found === -1) found = after((l) => l.includes(quoted));
    if (found !== -1) line = found;
  });
  return line + 1;
}

const packages = packageDirs();
if (packages.length === 0) fail(BOT, `no packages/*/package.json under ${root}; run it from the repository root`);

const rules = {};
const results = [];
try {
  // Each check packs its package (a child process); four at a time is plenty.
  const queue = [...packages];
  const checked = [];
  await Promise.all(
    Array.from({ length: Math.min(4, queue.length) }, async () => {
      for (let pkg = queue.shift(); pkg !== undefined; pkg = queue.shift()) {
        const { messages, pkg: manifest } = await publint({ pkgDir: path.join(root, pkg), level: 'suggestion', strict });
        checked.push({ dir: pkg, messages, manifest });
      }
    }),
  );
  checked.sort((a, b) => a.dir.localeCompare(b.dir));
  for (const { dir, messages, manifest } of checked) {
    const file = `${dir}/package.json`;
    const lines = readLines(file);
    for (const m of messages) {
      const level = LEVEL[m.type] ?? 'warning';
      rules[m.code] ??= { level, text: `publint ${m.code}` };
      const text = formatMessage(m, manifest, { color: false }) ?? m.code;
      results.push({ ruleId: m.code, level, file, line: lineOf(lines, m.path), message: `${dir}: ${text}` });
    }
  }
} catch (err) {
  fail(BOT, `publint could not check the packages: ${err instanceof Error ? err.message : String(err)}`);
}

process.stderr.write(`publint ${version}: ${results.length} message(s) in ${packages.length} packages, written to ${out}\n`);
process.exitCode = emitSarif({ name: 'publint', version, informationUri: 'https://publint.dev/rules' }, rules, results, out);
