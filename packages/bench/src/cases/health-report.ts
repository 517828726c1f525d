/** Health checks and reports on the original's fixtures (original.ts), and the scale scenarios. */
import { Writable } from 'node:stream';
import { generateReport, writeReport } from '@fleetkit/shared-context';
import type { ReportFormat } from '@fleetkit/shared-context';
import type { BenchCase } from './case.js';
import { findingInputs, sessionWith } from './fixtures.js';
import { addOneAtATime, healthFixture, reportFixture } from './original.js';

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
      const ctx = healthFixture({ healthTtlMs: 0 });
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
      const ctx = healthFixture({ healthTtlMs: 3_600_000 });
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
      description: `Generate ${format} report (all registered, three completed, 100 findings, all listed)`,
      batch: 1,
      setup: () => {
        const ctx = reportFixture(100);
        return () => generateReport(ctx, format);
      },
    }),
  ),
  // Render times at 10,000 findings; only with --scale.
  ...(['markdown', 'json', 'html', 'sarif'] as const).map(
    (format: ReportFormat): BenchCase => ({
      name: `reports/${format}-10k`,
      description: `Generate ${format} report (the 100-finding fixture with 10,000 findings, whole string)`,
      batch: 1,
      scale: true,
      full: false,
      setup: () => {
        const ctx = reportFixture(10_000);
        return () => generateReport(ctx, format);
      },
    }),
  ),
];

function scaleCasesFor(n: number, label: string, full: boolean): BenchCase[] {
  return [
    {
      name: `scale/add-one-at-a-time-${label}`,
      description: `Build and add ${n.toLocaleString('en')} findings one at a time (new context; the original's scale run)`,
      batch: 1,
      scale: true,
      full,
      // Collections this run's findings cause are timed; the previous
      // sample's garbage (a whole session) is collected before, untimed.
      collectBeforeSample: true,
      setup: () => () => addOneAtATime(n),
    },
    {
      name: `scale/add-${label}`,
      description: `Add ${n.toLocaleString('en')} findings (one batch, new context)`,
      batch: 1,
      scale: true,
      full,
      setup: () => {
        const inputs = findingInputs(n);
        return () => {
          const ctx = sessionWith(0, 0);
          ctx.addFindings(inputs);
          return ctx;
        };
      },
    },
    {
      name: `scale/queries-${label}`,
      description: `Query by bot, by category, has-errors and blocks-release (${n.toLocaleString('en')} findings)`,
      batch: 1000,
      scale: true,
      full,
      setup: () => {
        const ctx = sessionWith(3, n);
        return () => {
          let k = 0;
          for (let i = 0; i < 1000; i++) k += ctx.findingsFrom('rhodibot').length + ctx.findingsByCategory('docs').length + (ctx.hasErrors() ? 1 : 0) + (ctx.blocksRelease() ? 1 : 0);
          return k;
        };
      },
    },
    {
      name: `scale/health-${label}`,
      description: `Full health check, uncached (${n.toLocaleString('en')} findings)`,
      batch: 10,
      scale: true,
      full,
      setup: () => {
        const ctx = sessionWith(3, n, { healthTtlMs: 0 });
        return () => {
          let s = 0;
          for (let i = 0; i < 10; i++) s += ctx.healthCheck().healthScore;
          return s;
        };
      },
    },
    ...(['markdown', 'sarif'] as const).map(
      (format: ReportFormat): BenchCase => ({
        name: `scale/stream-${format}-${label}`,
        description: `Stream a ${format} report of ${n.toLocaleString('en')} findings`,
        batch: 1,
        scale: true,
        full,
        setup: () => {
          const ctx = sessionWith(3, n);
          return () => writeReport(ctx, format, nullSink());
        },
      }),
    ),
  ];
}

/** 100,000-finding scenarios (`--scale`) and 1,000,000-finding ones (`--scale --full`). */
export const scaleCases: readonly BenchCase[] = [...scaleCasesFor(100_000, '100k', false), ...scaleCasesFor(1_000_000, '1m', true)];
