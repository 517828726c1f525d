/** Context, registration, findings, queries, lifecycle, summary and serialization. */
import { Context } from '@fleetkit/shared-context';
import type { BenchCase } from './case.js';
import { findingInputs, newContext, registered, sessionWith } from './fixtures.js';

export const coreCases: readonly BenchCase[] = [
  {
    name: 'context/create',
    description: 'Context creation',
    batch: 1000,
    setup: () => () => {
      let c: Context | undefined;
      for (let i = 0; i < 1000; i++) c = newContext();
      return c;
    },
  },
  {
    name: 'registration/single',
    description: 'Register one bot (on a new context)',
    batch: 1000,
    setup: () => () => {
      let c: Context | undefined;
      for (let i = 0; i < 1000; i++) {
        c = newContext();
        c.registerBot('rhodibot');
      }
      return c;
    },
  },
  {
    name: 'registration/all',
    description: 'Register all bots (on a new context)',
    batch: 100,
    setup: () => () => {
      let c: Context | undefined;
      for (let i = 0; i < 100; i++) {
        c = newContext();
        c.registerAllBots();
      }
      return c;
    },
  },
  {
    name: 'findings/add-single',
    description: 'Add a single finding',
    batch: 1000,
    setup: () => {
      const inputs = findingInputs(1000);
      let ctx = registered();
      return () => {
        // A fresh context every 100,000 adds keeps the set from growing without bound.
        if (ctx.findings.size >= 100_000) ctx = registered();
        for (let i = 0; i < 1000; i++) ctx.addFinding(inputs[i]!);
        return ctx;
      };
    },
  },
  ...[10, 100, 1000].map(
    (n): BenchCase => ({
      name: `findings/add-${n}`,
      description: `Add ${n} findings (one batch, new context)`,
      batch: 1,
      setup: () => {
        const inputs = findingInputs(n);
        return () => {
          const ctx = newContext();
          ctx.addFindings(inputs);
          return ctx;
        };
      },
    }),
  ),
  {
    name: 'queries/by-bot',
    description: 'Query by bot (1000 findings)',
    batch: 1000,
    setup: () => {
      const ctx = sessionWith(0, 1000);
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) n += ctx.findingsFrom(i % 2 === 0 ? 'rhodibot' : 'echidnabot').length;
        return n;
      };
    },
  },
  {
    name: 'queries/by-category',
    description: 'Query by category (1000 findings)',
    batch: 1000,
    setup: () => {
      const ctx = sessionWith(0, 1000);
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) n += ctx.findingsByCategory(i % 2 === 0 ? 'structure' : 'docs').length;
        return n;
      };
    },
  },
  {
    name: 'queries/has-errors',
    description: 'Has errors (1000 findings)',
    batch: 1000,
    setup: () => {
      const ctx = sessionWith(0, 1000);
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) if (ctx.hasErrors()) n++;
        return n;
      };
    },
  },
  {
    name: 'queries/blocks-release',
    description: 'Blocks release (1000 findings)',
    batch: 1000,
    setup: () => {
      const ctx = sessionWith(0, 1000);
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) if (ctx.blocksRelease()) n++;
        return n;
      };
    },
  },
  {
    name: 'lifecycle/start-complete',
    description: 'Start and complete a bot (new context)',
    batch: 100,
    setup: () => () => {
      let c: Context | undefined;
      for (let i = 0; i < 100; i++) {
        c = newContext();
        c.registerBot('rhodibot');
        c.startBot('rhodibot');
        c.completeBot('rhodibot', { findings: 3, errors: 1, files: 10 });
      }
      return c;
    },
  },
  {
    name: 'lifecycle/ready-bots',
    description: 'Ready bots (all registered, three completed)',
    batch: 100,
    setup: () => {
      const ctx = sessionWith(3, 0);
      return () => {
        let n = 0;
        for (let i = 0; i < 100; i++) n += ctx.readyBots().length;
        return n;
      };
    },
  },
  {
    name: 'context/summary',
    description: 'Summary (all registered, 100 findings)',
    batch: 100,
    setup: () => {
      const ctx = sessionWith(3, 100);
      return () => {
        let n = 0;
        for (let i = 0; i < 100; i++) n += ctx.summary().totalFindings;
        return n;
      };
    },
  },
  {
    name: 'serialization/serialize',
    description: 'JSON serialization (all registered, 100 findings)',
    batch: 1,
    setup: () => {
      const ctx = sessionWith(3, 100);
      return () => JSON.stringify(ctx);
    },
  },
  {
    name: 'serialization/deserialize',
    description: 'JSON deserialization, validated (all registered, 100 findings)',
    batch: 1,
    setup: () => {
      const text = JSON.stringify(sessionWith(3, 100));
      return () => Context.fromJSON(JSON.parse(text));
    },
  },
];

