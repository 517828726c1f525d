/**
 * Context, registration, findings, queries, lifecycle, summary and
 * serialization, each on the Rust original's fixture (original.ts) unless
 * its name says otherwise (`findings/add-warm`, `findings/add-batch-1000`).
 */
import { Context } from '@fleetkit/shared-context';
import type { BenchCase } from './case.js';
import { findingInputs, newContext, registered } from './fixtures.js';
import { originalFinding, queryFixture, readyBotsFixture, serializationFixture, summaryFixture, testRule } from './original.js';

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
    // The original's add_single_finding: a new context and one finding, built and added.
    name: 'findings/add-single',
    description: 'Add a single finding (new context + one finding, as the original)',
    batch: 1000,
    setup: () => () => {
      let c: Context | undefined;
      for (let i = 0; i < 1000; i++) {
        c = newContext();
        c.addFinding(originalFinding('rhodibot', 'TEST-001', 'warning', 'Test finding'));
      }
      return c;
    },
  },
  {
    name: 'findings/add-warm',
    description: 'Add a single finding to a warm context (all registered, up to 100,000 findings)',
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
      // The original's add_bulk/N: each finding built (rule id formatted) and added one at a time.
      name: `findings/add-${n}`,
      description: `Add ${n} findings one at a time (new context, as the original)`,
      batch: 1,
      setup: () => () => {
        const ctx = newContext();
        for (let i = 0; i < n; i++) ctx.addFinding(originalFinding('rhodibot', testRule(i), 'warning', 'Test finding'));
        return ctx;
      },
    }),
  ),
  {
    name: 'findings/add-batch-1000',
    description: 'Add 1000 realistic findings in one batch (new context)',
    batch: 1,
    setup: () => {
      const inputs = findingInputs(1000);
      return () => {
        const ctx = newContext();
        ctx.addFindings(inputs);
        return ctx;
      };
    },
  },
  {
    name: 'queries/by-bot',
    description: 'Query by bot (1000 findings, 334 match)',
    batch: 1000,
    setup: () => {
      const ctx = queryFixture();
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) n += ctx.findingsFrom('rhodibot').length;
        return n;
      };
    },
  },
  {
    name: 'queries/by-category',
    description: 'Query by category (1000 findings, none match)',
    batch: 1000,
    setup: () => {
      const ctx = queryFixture();
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) n += ctx.findingsByCategory('test-category').length;
        return n;
      };
    },
  },
  {
    name: 'queries/has-errors',
    description: 'Has errors (1000 findings)',
    batch: 1000,
    setup: () => {
      const ctx = queryFixture();
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
      const ctx = queryFixture();
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) if (ctx.blocksRelease()) n++;
        return n;
      };
    },
  },
  {
    name: 'lifecycle/start-complete',
    description: 'Start and complete a bot (new context, one bot registered)',
    batch: 100,
    setup: () => () => {
      let c: Context | undefined;
      for (let i = 0; i < 100; i++) {
        c = newContext();
        c.registerBot('rhodibot');
        c.startBot('rhodibot');
        c.completeBot('rhodibot', { findings: 10, errors: 2, files: 50 });
      }
      return c;
    },
  },
  {
    name: 'lifecycle/ready-bots',
    description: 'Ready bots (all registered, rhodibot completed)',
    batch: 100,
    setup: () => {
      const ctx = readyBotsFixture();
      return () => {
        let n = 0;
        for (let i = 0; i < 100; i++) n += ctx.readyBots().length;
        return n;
      };
    },
  },
  {
    name: 'context/summary',
    description: 'Summary (every bot completed, no findings)',
    batch: 1000,
    setup: () => {
      const ctx = summaryFixture();
      return () => {
        let n = 0;
        for (let i = 0; i < 1000; i++) n += ctx.summary().totalFindings;
        return n;
      };
    },
  },
  {
    name: 'serialization/serialize',
    description: 'JSON serialization (all registered, 100 findings)',
    batch: 1,
    setup: () => {
      const ctx = serializationFixture();
      return () => JSON.stringify(ctx);
    },
  },
  {
    name: 'serialization/deserialize',
    description: 'JSON deserialization, validated (all registered, 100 findings)',
    batch: 1,
    setup: () => {
      const text = JSON.stringify(serializationFixture());
      return () => Context.fromJSON(JSON.parse(text));
    },
  },
];

