// What the example bots share: the repository (the working directory, as the
// fleet file's "cwd": "." gives them), walking it, SARIF 2.1.0 and reviewdog
// rdjson output, and the exit codes of a linter: 0 nothing wrong, 1 an error
// found, 2 the tool could not run (with the reason on stderr).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository root: every path a bot prints is relative to it. */
export const root = process.cwd();

/** Stops the bot: the check could not run. stderr says why; exit 2. */
export function fail(bot, message) {
  process.stderr.write(`${bot}: ${message}\n`);
  process.exit(2);
}

/** `p` relative to the repository root, with forward slashes. */
export function rel(p) {
  return path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
}

/** The text of a repository file split into lines. */
export function readLines(file) {
  return fs.readFileSync(path.join(root, file), 'utf8').split(/\r?\n/);
}

const SKIP = new Set(['node_modules', 'dist', '.git', '.turbo', '.tools', 'coverage', 'test-artifacts', 'benchmark-results']);

/** Every file under `dir` (relative to the root) for which `keep(path)` holds, sorted; build output and dependencies skipped. */
export function walk(dir, keep = () => true) {
  const out = [];
  const visit = (d) => {
    for (const e of fs.readdirSync(path.join(root, d), { withFileTypes: true })) {
      if (SKIP.has(e.name)) continue;
      const p = `${d}/${e.name}`;
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && keep(p)) out.push(p);
    }
  };
  const start = rel(dir);
  if (fs.statSync(path.join(root, start)).isDirectory()) visit(start);
  else if (keep(start)) out.push(start);
  return out.sort();
}

/** The workspace packages: `packages/*` directories with a package.json, relative to the root. */
export function packageDirs() {
  const base = path.join(root, 'packages');
  if (!fs.existsSync(base)) return [];
  return fs
    .readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(base, e.name, 'package.json')))
    .map((e) => `packages/${e.name}`)
    .sort();
}

/**
 * Prints a SARIF 2.1.0 log of one run (or writes it to `out`) and returns the
 * exit code. `rules`: { id: { level: 'error'|'warning'|'note', text } };
 * `results`: { ruleId, message, file, line?, column? } (line defaults to 1).
 */
export function emitSarif(driver, rules, results, out) {
  const ids = Object.keys(rules);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            ...driver,
            rules: ids.map((id) => ({ id, shortDescription: { text: rules[id].text }, defaultConfiguration: { level: rules[id].level } })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(`${root}${path.sep}`).href } },
        results: results.map((r) => ({
          ruleId: r.ruleId,
          ruleIndex: ids.indexOf(r.ruleId),
          level: r.level ?? rules[r.ruleId].level,
          message: { text: r.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(r.file), uriBaseId: '%SRCROOT%' }, region: regionOf(r) } }],
        })),
      },
    ],
  };
  const text = `${JSON.stringify(log, null, 2)}\n`;
  if (out === undefined) process.stdout.write(text);
  else writeAtomically(out, text);
  return results.some((r) => (r.level ?? rules[r.ruleId].level) === 'error') ? 1 : 0;
}

/** A SARIF region: the line (1 when the finding is about the whole file) and the column when known. */
const regionOf = (r) => ({ startLine: r.line ?? 1, ...(r.column ? { startColumn: r.column } : {}) });

/** Prints reviewdog rdjson (`{ source, diagnostics }`) and returns the exit code. `diagnostics`: { message, file, line?, column?, severity: 'ERROR'|'WARNING'|'INFO', code }. */
export function emitRdjson(source, diagnostics) {
  const rd = {
    source,
    diagnostics: diagnostics.map((d) => ({
      message: d.message,
      location: { path: d.file, ...(d.line ? { range: { start: { line: d.line, ...(d.column ? { column: d.column } : {}) } } } : {}) },
      severity: d.severity,
      source: { name: source.name },
      code: { value: d.code },
    })),
  };
  process.stdout.write(`${JSON.stringify(rd, null, 2)}\n`);
  return diagnostics.some((d) => d.severity === 'ERROR') ? 1 : 0;
}

/** Writes `text` to `file` (relative to the root) through a temporary file, so a reader never sees half of it. */
export function writeAtomically(file, text) {
  const target = path.resolve(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, target);
}
