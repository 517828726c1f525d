/**
 * A realistic, reproducible session built from the original fleet's real
 * findings files: fixed ids, fixed clock. A tiny local mapper is used on
 * purpose, so report tests do not depend on the importer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import type { FindingInput, Severity } from '../../src/index.js';
import { requireCorpus } from './paths.js';

const SEV: Record<string, Severity> = { critical: 'error', high: 'error', medium: 'warning', low: 'info', info: 'info' };

interface ScannerFinding {
  severity: string;
  type: string;
  pattern: string;
  file: string;
  line?: number;
  fix?: string;
  auto_fixable?: boolean;
  cwe?: string;
}

export function corpusSession(): Context {
  const corpus = requireCorpus();
  const clock = { t: Date.UTC(2026, 1, 6, 21, 55, 0) };
  const ctx = new Context('echidnabot', '/var/repos/echidnabot', { now: () => clock.t, sessionId: '00000000-0000-4000-8000-000000000001', healthTtlMs: 0 });
  ctx.registerAllBots();
  const submission = JSON.parse(readFileSync(join(corpus, 'gitbot-fleet/findings/echidnabot/latest.json'), 'utf8')) as { findings: ScannerFinding[] };
  const findings: FindingInput[] = submission.findings.slice(0, 24).map((f, i) => ({
    id: `f-${String(i).padStart(3, '0')}`,
    source: i % 3 === 0 ? 'panicbot' : i % 3 === 1 ? 'echidnabot' : 'rhodibot',
    ruleId: f.pattern,
    ruleName: f.type,
    severity: SEV[f.severity.toLowerCase()] ?? 'info',
    message: `${f.type}: ${f.pattern}${f.cwe ? ` (${f.cwe})` : ''}`,
    category: f.type,
    file: f.file.replace(/^.*\/echidnabot\//, ''),
    line: f.line,
    suggestion: f.fix,
    fixable: f.auto_fixable === true,
    createdAt: '2026-02-06T21:55:20.000Z',
  }));
  findings.push({ id: 'f-900', source: 'glambot', ruleId: 'missing-alt', severity: 'suggestion', message: 'Image without alt text', file: 'docs/index.html', line: 12, column: 5, createdAt: '2026-02-06T21:55:20.000Z' });
  for (const bot of ['rhodibot', 'echidnabot', 'panicbot']) {
    ctx.startBot(bot);
    clock.t += 1500;
    const mine = findings.filter((f) => f.source === bot);
    ctx.addFindings(mine);
    ctx.completeBot(bot, { findings: mine.length, errors: mine.filter((f) => f.severity === 'error').length, files: 40 });
  }
  ctx.startBot('sustainabot');
  clock.t += 700;
  ctx.failBot('sustainabot', 'timeout while scanning');
  ctx.addFinding(findings.at(-1)!);
  clock.t += 300;
  return ctx;
}
