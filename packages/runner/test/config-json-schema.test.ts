import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FleetConfigSchema, fleetConfigJsonSchema } from '../src/index.js';

const SCHEMA_FILE = new URL('../fleet.schema.json', import.meta.url);

/** The example of the fleet file format, as documented. */
const EXAMPLE = {
  $schema: './node_modules/@fleetkit/runner/fleet.schema.json',
  repo: 'acme/web',
  root: '.',
  jobs: 4,
  timeout: '10m',
  reports: [{ format: 'markdown', out: 'fleet-report.md' }],
  gate: { failOn: 'error', maxErrors: 0, maxWarnings: 10 },
  bots: [
    { id: 'rhodibot', run: ['rhodibot', '--json'] },
    {
      id: 'Panic-Bot',
      name: 'Panicbot',
      tier: 'verifier',
      run: ['npx', 'panicbot', '.'],
      dependsOn: ['rhodibot'],
      cwd: 'packages/web',
      env: { NODE_ENV: 'ci' },
      timeout: 600,
      output: 'stdout',
      format: 'sarif',
      okExitCodes: [0, 1],
      allowFailure: false,
      files: ['**/*.ts'],
    },
    { id: 'eslint', tier: 'verifier', run: 'npx eslint -f json . > eslint.json', shell: true, output: 'eslint.json', timeout: '1.5s' },
  ],
};

/** Every object schema under `schema` that has `properties`. */
function objectSchemas(schema: unknown): Record<string, unknown>[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const here = 'properties' in schema ? [schema as Record<string, unknown>] : [];
  return [...here, ...Object.values(schema).flatMap(objectSchemas)];
}

describe('fleet.schema.json', () => {
  it('is what fleetConfigJsonSchema() generates', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed, 'fleet.schema.json is out of date: run `pnpm --filter @fleetkit/runner schema`').toBe(
      `${JSON.stringify(fleetConfigJsonSchema(), null, 2)}\n`,
    );
  });

  it('describes every field, so editors can show help', () => {
    const objects = objectSchemas(fleetConfigJsonSchema());
    expect(objects.length).toBeGreaterThanOrEqual(4); // the file, a report, the gate, a bot
    for (const object of objects) {
      for (const [name, field] of Object.entries(object.properties as Record<string, Record<string, unknown>>)) {
        expect(field.description, name).toEqual(expect.any(String));
      }
    }
  });

  it('shows the defaults of the fields that have one', () => {
    const schema = fleetConfigJsonSchema() as { properties: Record<string, { default?: unknown; items?: { properties: Record<string, { default?: unknown }> } }> };
    expect(schema.properties.timeout?.default).toBe('10m');
    const bot = schema.properties.bots?.items?.properties ?? {};
    expect([bot.shell?.default, bot.output?.default, bot.okExitCodes?.default, bot.allowFailure?.default]).toEqual([false, 'stdout', [0, 1], false]);
  });

  it('accepts the documented example, as zod does', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(fleetConfigJsonSchema());
    expect(validate(EXAMPLE), JSON.stringify(validate.errors)).toBe(true);
    expect(FleetConfigSchema.safeParse(EXAMPLE).success).toBe(true);
  });

  it('rejects what zod rejects for its shape: unknown keys, missing fields, wrong values', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(fleetConfigJsonSchema());
    const bad: unknown[] = [
      { ...EXAMPLE, colour: 'red' },
      { bots: [] },
      { bots: [{ id: 'rhodibot' }] },
      { bots: [{ id: 'rhodibot', run: ['x'], format: 'xml' }] },
      { bots: [{ id: 'rhodibot', run: ['x'], timeout: '10 minutes' }] },
      { bots: [{ id: 'rhodibot', run: ['x'], okExitCodes: [256] }] },
      { bots: [{ id: 'rhodibot', run: ['x'] }], gate: { failOn: 'info' } },
    ];
    for (const value of bad) {
      expect(validate(value), JSON.stringify(value)).toBe(false);
      expect(FleetConfigSchema.safeParse(value).success, JSON.stringify(value)).toBe(false);
    }
  });
});
