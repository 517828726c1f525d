/**
 * The JSON Schema (draft-07) of a serialized finding, for JSON Schema
 * consumers: fast-json-stringify serializers (reports, the dashboard's API)
 * and OpenAPI documents. It is derived from the zod schema of `createFinding`,
 * so a field added there appears here, in the JSON report and in the API.
 */
import { z } from 'zod';
import { PlainObjectSchema } from '../json-object-schema.js';
import { FindingInputSchema } from './finding.js';

/**
 * zod schema of a finding as `JSON.stringify` writes it: the input schema
 * with the fields `createFinding` fills in required. Tests hold this list to
 * what `createFinding` actually writes.
 */
export const SerializedFindingSchema = FindingInputSchema.required({
  id: true,
  ruleName: true,
  category: true,
  fixable: true,
  fixed: true,
  createdAt: true,
  related: true,
  metadata: true,
});

/**
 * Turns the generator's output into a sub-schema that other schemas embed
 * (report findings, the API's finding page, OpenAPI components): `$schema`
 * belongs only at a document's root, and OpenAPI 3.0 rejects it. Anything
 * but an object schema with plain property schemas would mean the zod
 * schema changed shape, so that fails at load rather than serializing wrong.
 */
function embeddable(generated: z.core.JSONSchema.JSONSchema): typeof FindingJSONSchema {
  const { $schema: _dialect, ...schema } = generated;
  const { type, properties, required } = schema;
  if (type !== 'object' || properties === undefined || required === undefined) {
    throw new Error('FindingJSONSchema: zod did not generate an object schema with properties and required fields');
  }
  const plain: Record<string, z.core.JSONSchema.JSONSchema> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value === 'boolean') throw new Error(`FindingJSONSchema: property ${key} has a boolean schema`);
    plain[key] = value;
  }
  return { ...schema, type, properties: plain, required };
}

/**
 * JSON Schema of a {@link Finding} as `JSON.stringify` writes it. Its type is
 * spelled out with no named or zod type so that packages re-exporting it
 * (the dashboard's schemas) can emit declarations for it.
 */
export const FindingJSONSchema: {
  readonly [keyword: string]: unknown;
  readonly type: 'object';
  readonly properties: { readonly [name: string]: { readonly [keyword: string]: unknown } };
  readonly required: readonly string[];
} = embeddable(
  z.toJSONSchema(SerializedFindingSchema, {
    // fast-json-stringify's and fastify's ajv dialect; @fastify/swagger converts it to OpenAPI 3.0.
    target: 'draft-07',
    io: 'output',
    // `metadata` is a z.custom (zod's record would drop a `__proto__` key), which has no JSON
    // Schema; it is any JSON object. Any other unrepresentable field still throws.
    unrepresentable: ({ zodSchema }) => (zodSchema === PlainObjectSchema ? { type: 'object', additionalProperties: true } : 'throw'),
  }),
);
