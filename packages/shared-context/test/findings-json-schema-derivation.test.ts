/**
 * The finding's JSON Schemas are derived from its zod schema: every zod field
 * reaches each of them with the same required list, and what they describe is
 * what `createFinding` really writes.
 */
import { Ajv } from 'ajv';
import fc from 'fast-check';
import fastJson from 'fast-json-stringify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { FindingJSONSchema, SerializedFindingSchema } from '../src/findings/finding-json-schema.js';
import { FindingInputSchema, createFinding } from '../src/findings/finding.js';
import type { Finding, FindingInput } from '../src/findings/finding.js';
import { SEVERITIES } from '../src/findings/severity.js';
import { ReportFindingSchema, reportFindingJsonSchema } from '../src/report/json-schema.js';

type SchemaLike = { readonly safeParse: (value: unknown) => { success: boolean } };

/** The fields of a zod object shape that reject `undefined`, in the shape's order. */
function requiredFields(shape: Readonly<Record<string, SchemaLike>>): string[] {
  return Object.entries(shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
}

const zodFields = Object.keys(FindingInputSchema.shape);
const minimal: FindingInput = { source: 'rhodibot', ruleId: 'missing-license', severity: 'error', message: 'No LICENSE' };
const complete: Required<FindingInput> = {
  id: 'f-1', source: 'glambot', ruleId: 'alt', ruleName: 'Alt text', severity: 'warning', message: 'img without alt', category: 'accessibility',
  file: 'index.html', line: 3, column: 7, element: 'img', suggestion: 'add alt', fixable: true, fixed: false,
  createdAt: '2026-02-03T04:05:06.000+02:00', related: ['f-2'], metadata: { a: [1, { b: null }] }, recipeId: 'rec', confidence: 0.5,
};
const writtenKeys = (input: FindingInput): string[] => Object.keys(JSON.parse(JSON.stringify(createFinding(input))) as object);

// Valid inputs with any subset of the optional fields, over all of Unicode (well-formed) and any JSON metadata.
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const validInput: fc.Arbitrary<FindingInput> = fc.record(
  {
    id: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    source: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    ruleId: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    ruleName: text,
    severity: fc.constantFrom(...SEVERITIES),
    message: text,
    category: text,
    file: text,
    line: fc.integer({ min: 1 }),
    column: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    element: text,
    suggestion: text,
    fixable: fc.boolean(),
    fixed: fc.boolean(),
    createdAt: fc.date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString()),
    related: fc.array(text, { maxLength: 3 }),
    metadata: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    recipeId: text,
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  },
  { requiredKeys: ['source', 'ruleId', 'severity', 'message'] },
);

describe('FindingJSONSchema, derived from the zod schema of createFinding', () => {
  it('has every zod field, in the zod order, and requires exactly the fields a serialized finding always has', () => {
    expect(Object.keys(FindingJSONSchema.properties)).toEqual(zodFields);
    expect(FindingJSONSchema.required).toEqual(requiredFields(SerializedFindingSchema.shape));
    // The zod list of defaulted fields agrees with what createFinding writes.
    expect(FindingJSONSchema.required).toEqual(writtenKeys(minimal));
    expect(Object.keys(FindingJSONSchema.properties)).toEqual(writtenKeys(complete));
  });

  it('describes the Finding type: the same fields, the same ones required', () => {
    type Output = z.output<typeof SerializedFindingSchema>;
    type RequiredKeys<T> = { [K in keyof T]-?: Pick<T, K> extends Required<Pick<T, K>> ? K : never }[keyof T];
    expectTypeOf<keyof Output>().toEqualTypeOf<keyof Finding>();
    expectTypeOf<RequiredKeys<Output>>().toEqualTypeOf<RequiredKeys<Finding>>();
  });

  it('is embeddable and fast to serialize: no $schema or $ref, one plain type per field', () => {
    expect(Object.keys(FindingJSONSchema)).not.toContain('$schema');
    expect(JSON.stringify(FindingJSONSchema)).not.toContain('"$ref"');
    for (const [field, schema] of Object.entries(FindingJSONSchema.properties)) {
      expect(typeof schema.type, field).toBe('string');
      for (const combinator of ['anyOf', 'oneOf', 'allOf', 'not', 'if']) expect(Object.keys(schema), field).not.toContain(combinator);
    }
    // A plain JSON object: what a JSON round trip keeps is all there is.
    expect(JSON.parse(JSON.stringify(FindingJSONSchema))).toEqual(FindingJSONSchema);
    expect(FindingJSONSchema.properties.metadata).toEqual({ type: 'object', additionalProperties: true });
  });

  it('is valid draft-07 (ajv, strict) and accepts every finding createFinding writes, as zod does (property)', () => {
    const validate = new Ajv({ strict: true, allErrors: true, validateFormats: false }).compile(FindingJSONSchema);
    fc.assert(
      fc.property(validInput, (input) => {
        const written: unknown = JSON.parse(JSON.stringify(createFinding(input)));
        expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
        expect(SerializedFindingSchema.safeParse(written).success).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(validate({ ...JSON.parse(JSON.stringify(createFinding(minimal))), unknownField: 1 })).toBe(false);
    expect(validate(JSON.parse(JSON.stringify(minimal)))).toBe(false);
  });

  // Not byte for byte: fast-json-stringify writes the required fields before the optional ones.
  it('compiles with fast-json-stringify, which writes every field JSON.stringify does, with the same values (property)', () => {
    const stringify = fastJson(FindingJSONSchema as unknown as Parameters<typeof fastJson>[0]);
    fc.assert(
      fc.property(validInput, (input) => {
        const f = createFinding(input);
        expect(JSON.parse(stringify(f))).toEqual(JSON.parse(JSON.stringify(f)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('the JSON report finding', () => {
  const reportOnly = ['fingerprint', 'suppression', 'baselineState'];

  it('writes every zod field of a finding, with the fingerprint second and the report-only fields last', () => {
    const [id, ...rest] = zodFields;
    expect(Object.keys(reportFindingJsonSchema.properties)).toEqual([id, 'fingerprint', ...rest, 'suppression', 'baselineState']);
    for (const field of zodFields) expect(reportFindingJsonSchema.properties[field as keyof typeof reportFindingJsonSchema.properties], field).toEqual(FindingJSONSchema.properties[field]);
    expect([...reportFindingJsonSchema.required].sort()).toEqual([...FindingJSONSchema.required, 'fingerprint'].sort());
  });

  it('is read back by a zod schema (parseReport) with the same fields and the same required list', () => {
    expect(Object.keys(ReportFindingSchema.shape).sort()).toEqual([...zodFields, ...reportOnly].sort());
    expect(requiredFields(ReportFindingSchema.shape).sort()).toEqual([...reportFindingJsonSchema.required].sort());
  });
});
