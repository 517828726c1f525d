/** The regression gate's report: both signals side by side, the verdict, and where flagged instructions went. */
import type { GateRow } from '../gate.js';
import type { CountRow } from './decide.js';

/** One benchmark in the gate's table: its count row, its wall-clock row, or both. */
export interface CombinedRow {
  readonly name: string;
  readonly count?: CountRow;
  readonly wall?: GateRow;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(x !== 0 && Math.abs(x) < 0.001 ? 3 : 1)}%`;

/** Instructions per operation, e.g. `12,345` or `87.5`. */
export function formatIr(ir: number): string {
  return ir >= 100 ? Math.round(ir).toLocaleString('en') : ir.toFixed(1);
}

function countCells(r: CountRow | undefined): string {
  if (r === undefined) return '— | — | — | not counted';
  if (r.verdict === 'not measured') return `${r.baseIrPerOp === null ? '—' : formatIr(r.baseIrPerOp)} | ${r.headIrPerOp === null ? '—' : formatIr(r.headIrPerOp)} | — | ❌ not measured`;
  const icon = r.verdict === 'regressed' ? '❌ regressed' : r.verdict === 'improved' ? '✅ improved' : '➖ unchanged';
  return `${formatIr(r.baseIrPerOp!)} | ${formatIr(r.headIrPerOp!)} | ${pct(r.change!)} | ${icon}`;
}

function wallCells(r: GateRow | undefined, fmt: (ns: number) => string): string {
  if (r === undefined) return '— | — | — | not timed';
  const icon = r.verdict === 'regressed' ? '❌ regressed' : r.verdict === 'improved' ? '✅ improved' : '➖ unchanged';
  return `${fmt(r.baseNs)} | ${fmt(r.headNs)} | ${pct(r.change)} [${pct(r.low)}, ${pct(r.high)}] | ${icon}`;
}

/** The table: instructions per operation (base, head, change, verdict), then time (base, head, change [interval], verdict). */
export function combinedMarkdown(rows: readonly CombinedRow[], fmt: (ns: number) => string): string {
  let out = '| Benchmark | Instr/op base | Instr/op head | Change | Counts | Time base | Time head | Change [interval] | Wall-clock |\n|---|---:|---:|---:|---|---:|---:|---|---|\n';
  for (const r of rows) out += `| ${r.name} | ${countCells(r.count)} | ${wallCells(r.wall, fmt)} |\n`;
  return out;
}

/** What failed the gate, by signal; empty when nothing did. */
export function verdictLines(rows: readonly CombinedRow[]): { failed: boolean; lines: string[] } {
  const byCounts = rows.filter((r) => r.count?.verdict === 'regressed');
  const byWall = rows.filter((r) => r.wall?.verdict === 'regressed');
  const notMeasured = rows.filter((r) => r.count?.verdict === 'not measured');
  const lines: string[] = [];
  if (byCounts.length > 0) lines.push(`- instruction counts flagged: ${byCounts.map((r) => `${r.name} (${pct(r.count!.change!)})`).join(', ')}`);
  if (byWall.length > 0) lines.push(`- wall-clock flagged: ${byWall.map((r) => `${r.name} (${pct(r.wall!.change)})`).join(', ')}`);
  if (notMeasured.length > 0) lines.push(`- not measured (the gate cannot pass them): ${notMeasured.map((r) => `${r.name} — ${r.count!.reason ?? 'no count'}`).join('; ')}`);
  return { failed: lines.length > 0, lines };
}
