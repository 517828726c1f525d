#!/usr/bin/env node
// glambot's documentation check: relative links in Markdown that lead nowhere, as SARIF 2.1.0 on stdout.
//   node examples/self-check/bots/doc-links.mjs <file.md|dir>...   (from the repository root)
// Checks every inline link and image (`[text](target)`) and reference definition
// (`[id]: target`) outside code: the file or directory must exist, and a
// `#fragment` into a Markdown file must name one of its headings (GitHub's
// anchors: lower case, punctuation dropped, spaces as hyphens, -1/-2 for repeats)
// or an explicit `<a id>`/`<a name>`. Links with a scheme (https:, mailto:) are not followed.
import fs from 'node:fs';
import path from 'node:path';
import { emitSarif, fail, readLines, rel, root, walk } from './common.mjs';

const BOT = 'doc-links';
const args = process.argv.slice(2);
if (args.length === 0) fail(BOT, 'name at least one Markdown file or directory (usage: doc-links.mjs <file.md|dir>...)');
const exists = (t) => fs.existsSync(path.resolve(root, t));
for (const t of args) {
  // A shell leaves a glob that matches nothing as it is: nothing to check there, not a mistake.
  if (!exists(t) && /[*?[]/.test(t)) process.stderr.write(`doc-links: ${t} matches no file; skipped\n`);
  else if (!exists(t)) fail(BOT, `no such file or directory: ${t}`);
}
const targets = args.filter(exists);

const RULES = {
  'broken-link': { level: 'warning', text: 'A relative link points to a file or directory that does not exist' },
  'broken-anchor': { level: 'warning', text: 'A link points to a heading that does not exist' },
};
const INLINE = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/;

/** The lines of a Markdown file with fenced code blocks blanked, and inline code removed unless `keepCode`. */
function prose(file, keepCode = false) {
  let fence;
  return readLines(file).map((line) => {
    const open = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === undefined && open) fence = open[1];
    else if (fence !== undefined && open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = undefined;
    else if (fence === undefined) return keepCode ? line : line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    return '';
  });
}

/** `s` percent-decoded, or as written when malformed. */
function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const anchorCache = new Map();
/** The anchors GitHub makes for a Markdown file's headings, plus its explicit `<a id|name>` anchors. */
function anchorsOf(file) {
  if (anchorCache.has(file)) return anchorCache.get(file);
  const anchors = new Set();
  const counts = new Map();
  for (const line of prose(file, true)) {
    for (const m of line.matchAll(/<a\s+(?:[^>]*\s)?(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
    const n = counts.get(slug) ?? 0;
    counts.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

const results = [];
let files;
try {
  files = [...new Set(targets.flatMap((t) => walk(t, (p) => p.endsWith('.md'))))].sort();
  for (const file of files) {
    prose(file).forEach((text, i) => {
      const links = [...text.matchAll(INLINE)].map((m) => ({ target: m[1], column: m.index + 1 }));
      const ref = REFERENCE.exec(text);
      if (ref) links.push({ target: ref[1], column: 1 });
      for (const { target, column } of links) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
        const [rawPath, fragment] = target.split('#', 2);
        const decoded = safeDecode(rawPath);
        const linked = rawPath === '' ? file : rel(decoded.startsWith('/') ? `.${decoded}` : path.join(path.dirname(file), decoded));
        if (!fs.existsSync(path.join(root, linked))) {
          results.push({ ruleId: 'broken-link', file, line: i + 1, column, message: `${target} leads nowhere: ${linked} does not exist` });
        } else if (fragment && linked.endsWith('.md') && !anchorsOf(linked).has(safeDecode(fragment))) {
          results.push({ ruleId: 'broken-anchor', file, line: i + 1, column, message: `${target}: ${linked} has no heading with the anchor #${fragment}` });
        }
      }
    });
  }
} catch (err) {
  fail(BOT, `cannot read ${targets.join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
}

process.stderr.write(`doc-links: ${results.length} broken link(s) in ${files.length} Markdown files\n`);
process.exitCode = emitSarif({ name: 'fleetkit-doc-links', version: '1.0.0' }, RULES, results);
