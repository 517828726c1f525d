/** Health checks and reports on the original's fixtures. */
import { Writable } from 'node:stream';
import { generateReport, writeReport } from '@fleetkit/shared-context';
import type { ReportFormat } from '@fleetkit/shared-context';
import type { BenchCase } from './case.js';
import { findingInputs, sessionWith } from './fixtures.js';

/** A writable that drops what it gets: streamed reports are timed without I/O. */
export function nullSink(): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });
}

export const healthReportCases: readonly BenchCase[] = [
  {
    name: 'health/uncached',
    description: 'Full health check (uncached; all registered, two completed, 50 findings)',
    batch: 10,
    setup: () => {
      const ctx = sessionWith(2, 50, { healthTtlMs: 0 });
      return () => {
        let s = 0;
        for (let i = 0; i < 10; i++) s += ctx.healthCheck().healthScore;
        return s;
      };
    },
  },
  {
    name: 'health/cached',
    description: 'Health check served from the cache',
    batch: 1000,
    setup: () => {
      const ctx = sessionWith(2, 50, { healthTtlMs: 3_600_000 });
      ctx.healthCheck();
      return () => {
        let s = 0;
        for (let i = 0; i < 1000; i++) s += ctx.healthCheck().healthScore;
        return s;
      };
    },
  },
  ...(['markdown', 'json', 'html', 'sarif'] as const).map(
    (format: ReportFormat): BenchCase => ({
      name: `reports/${format}-100`,
      description: `Generate ${format} report (all registered, three completed, 100 findings)`,
      batch: 1,
      setup: () => {
        const ctx = sessionWith(3, 100);
        return () => generateReport(ctx, format);
      },
    }),
  ),
];

/** 100,000-finding scenarios (opt-in: `--scale`). */
export const scaleCases: readonly BenchCase[] = [
  {
    name: 'scale/add-100k',
    description: 'Add 100,000 findings (one batch, new context)',
    batch: 1,
    scale: true,
    setup: () => {
      const inputs = findingInputs(100_000);
      return () => {
        const ctx = sessionWith(0, 0);
        ctx.addFindings(inputs);
        return ctx;
      };
    },
  },
  {
    name: 'scale/query-by-bot-100k',
    description: 'Query by bot (100,000 findings)',
    batch: 1000,
    scale: true,
    setup: () => {
      const ctx = sessionWith(3, 100_000);
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) n += ctx.findingsFrom('rhodibot').length + ctx.findingsByCategory('docs').length;
        return n;
      };
    },
  },
  {
    name: 'scale/health-100k',
    description: 'Full health check, uncached (100,000 findings)',
    batch: 10,
    scale: true,
    setup: () => {
      const ctx = sessionWith(3, 100_000, { healthTtlMs: 0 });
      return () => {
        let s = 0;
        for (let i = 0; i < 10; i++) s += ctx.healthCheck().healthScore;
        return s;
      };
    },
  },
  ...(['markdown', 'sarif'] as const).map(
    (format: ReportFormat): BenchCase => ({
      name: `scale/stream-${format}-100k`,
      description: `Stream a ${format} report of 100,000 findings`,
      batch: 1,
      scale: true,
      setup: () => {
        const ctx = sessionWith(3, 100_000);
        return () => writeReport(ctx, format, nullSink());
      },
    }),
  ),
];
