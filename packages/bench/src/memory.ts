/** Heap and RSS growth per finding (run in a child process with --expose-gc). */
import { findingInputs, registered } from './cases/fixtures.js';

export function measureMemory(n: number): { findings: number; heapBytes: number; rssBytes: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const ctx = registered();
  const batch = 10_000;
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < n; i += batch) ctx.addFindings(findingInputs(Math.min(batch, n - i), i));
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  const rss1 = process.memoryUsage().rss;
  if (ctx.findings.size !== n) throw new Error('lost findings');
  return { findings: n, heapBytes: heap1 - heap0, rssBytes: rss1 - rss0 };
}
