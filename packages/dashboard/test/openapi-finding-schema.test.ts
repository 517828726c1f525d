/**
 * The OpenAPI document publishes the finding the library's zod schema
 * describes (the API's finding schema is derived from it), every schema in it
 * is an OpenAPI 3.0 Schema Object, and the findings the API serves validate
 * against what it publishes.
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, ContextStorage, FindingInputSchema, createFinding } from '@fleetkit/shared-context';
import type { FindingInput } from '@fleetkit/shared-context';
import type { Running } from './support/server.js';
import { startDashboard } from './support/server.js';

interface SchemaObject {
  readonly [keyword: string]: unknown;
  readonly properties?: Readonly<Record<string, SchemaObject>>;
  readonly required?: readonly string[];
  readonly items?: SchemaObject;
}
interface MediaTypes {
  readonly content?: Readonly<Record<string, { readonly schema: SchemaObject }>>;
}
interface Operation {
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly schema: SchemaObject }>;
  readonly requestBody?: MediaTypes;
  readonly responses: Readonly<Record<string, MediaTypes & { readonly description?: string }>>;
}
interface OpenAPIDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, SchemaObject>> };
}

// The fixed fields of the OpenAPI 3.0.3 Schema Object; anything else (`$schema`, `const`, `$defs`,
// `examples`, a list of types …) is JSON Schema that OpenAPI 3.0 tools reject.
const SCHEMA_OBJECT_FIELDS = new Set([
  'title', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems',
  'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum', 'type', 'allOf', 'oneOf', 'anyOf', 'not', 'items', 'properties',
  'additionalProperties', 'description', 'format', 'default', 'nullable', 'discriminator', 'readOnly', 'writeOnly', 'xml', 'externalDocs', 'example', 'deprecated',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** Every way `schema` (at `where`) is not an OpenAPI 3.0 Schema Object, or Reference Object into `components`. */
function schemaProblems(schema: SchemaObject, where: string, doc: OpenAPIDocument): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return Object.keys(schema).length === 1 && doc.components?.schemas?.[name] !== undefined ? [] : [`${where}: unresolved or decorated $ref ${schema.$ref}`];
  }
  const problems: string[] = [];
  for (const key of Object.keys(schema)) if (!SCHEMA_OBJECT_FIELDS.has(key) && !key.startsWith('x-')) problems.push(`${where}: ${key}`);
  if (schema.type !== undefined && !(typeof schema.type === 'string' && TYPES.has(schema.type))) problems.push(`${where}: type ${JSON.stringify(schema.type)}`);
  if (schema.nullable !== undefined && schema.type === undefined) problems.push(`${where}: nullable without type`);
  if (schema.type === 'array' && schema.items === undefined) problems.push(`${where}: array without items`);
  if (schema.required !== undefined && schema.required.length === 0) problems.push(`${where}: empty required`);
  if (Array.isArray(schema.enum) && schema.enum.length === 0) problems.push(`${where}: empty enum`);
  const children: Array<[string, unknown]> = [['items', schema.items], ['not', schema.not], ['additionalProperties', schema.additionalProperties]];
  for (const combinator of ['allOf', 'oneOf', 'anyOf']) {
    const list = schema[combinator];
    if (Array.isArray(list)) list.forEach((s, i) => children.push([`${combinator}/${i}`, s]));
  }
  for (const [name, s] of Object.entries(schema.properties ?? {})) children.push([`properties/${name}`, s]);
  for (const [path, child] of children) {
    if (typeof child === 'object' && child !== null) problems.push(...schemaProblems(child as SchemaObject, `${where}/${path}`, doc));
  }
  return problems;
}

const minimal: FindingInput = { source: 'rhodibot', ruleId: 'missing-license', severity: 'error', message: 'No LICENSE' };
const complete: Required<FindingInput> = {
  id: 'f-complete', source: 'glambot', ruleId: 'alt', ruleName: 'Alt text', severity: 'warning', message: 'img without alt', category: 'accessibility',
  file: 'index.html', line: 3, column: 7, element: 'img', suggestion: 'add alt', fixable: true, fixed: false,
  createdAt: '2026-02-03T04:05:06.000+02:00', related: ['f-minimal'], metadata: { a: [1, { b: null }] }, recipeId: 'rec', confidence: 0.5,
};
const zodFields = Object.keys(FindingInputSchema.shape);
// What a serialized finding always has: the fields createFinding fills in when given the least it accepts.
const alwaysWritten = Object.keys(JSON.parse(JSON.stringify(createFinding(minimal))) as object);

let s: Running;
let sessionId: string;
let doc: OpenAPIDocument;

beforeAll(async () => {
  s = await startDashboard();
  const ctx = new Context('schema-repo', '/var/repos/schema-repo');
  ctx.addFindings([complete, { ...minimal, id: 'f-minimal' }]);
  await new ContextStorage(s.dir).saveContext(ctx);
  sessionId = ctx.sessionId;
  const r = await s.api<OpenAPIDocument>('GET', '/api/openapi.json');
  expect(r.status).toBe(200);
  doc = r.json;
});
afterAll(() => s.stop());

function findingSchemas(): Array<[string, SchemaObject]> {
  const one = doc.paths['/api/sessions/{sessionId}/findings/{findingId}']?.get?.responses['200']?.content?.['application/json']?.schema;
  const page = doc.paths['/api/sessions/{sessionId}/findings']?.get?.responses['200']?.content?.['application/json']?.schema;
  expect(one).toBeDefined();
  expect(page?.properties?.items?.items).toBeDefined();
  return [
    ['one finding', one as SchemaObject],
    ['a page of findings', page?.properties?.items?.items as SchemaObject],
  ];
}

describe('the OpenAPI document and the finding', () => {
  it('publishes every field of the zod finding schema, requiring those a serialized finding always has', () => {
    expect(alwaysWritten).toEqual(expect.arrayContaining(['id', 'createdAt', 'related', 'metadata']));
    for (const [where, schema] of findingSchemas()) {
      expect(Object.keys(schema.properties ?? {}), where).toEqual(zodFields);
      expect(schema.required, where).toEqual(alwaysWritten);
      expect(schema.properties?.metadata, where).toEqual({ type: 'object', additionalProperties: true });
    }
  });

  it('is OpenAPI 3.0: every schema of every operation is a Schema Object', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info.title).not.toBe('');
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const at = `${method.toUpperCase()} ${path}`;
        for (const p of op.parameters ?? []) problems.push(...schemaProblems(p.schema, `${at} parameter ${p.name}`, doc));
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) problems.push(...schemaProblems(media.schema, `${at} body ${type}`, doc));
        for (const [status, response] of Object.entries(op.responses)) {
          if (typeof response.description !== 'string') problems.push(`${at} ${status}: response without description`);
          for (const [type, media] of Object.entries(response.content ?? {})) problems.push(...schemaProblems(media.schema, `${at} ${status} ${type}`, doc));
        }
      }
    }
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) problems.push(...schemaProblems(schema, `components/schemas/${name}`, doc));
    expect(problems).toEqual([]);
  });

  it('serves findings, one by one and by the page, that validate against the schemas it publishes', async () => {
    // Strict: a keyword ajv does not know would fail to compile. Formats are left to `pattern`.
    const ajv = new Ajv({ strict: true, allErrors: true, validateFormats: false });
    const [[, oneSchema], [, pageItemSchema]] = findingSchemas() as [[string, SchemaObject], [string, SchemaObject]];
    const validateOne = ajv.compile(oneSchema);
    const validateItem = ajv.compile(pageItemSchema);
    for (const id of ['f-complete', 'f-minimal']) {
      const r = await s.api<Record<string, unknown>>('GET', `/api/sessions/${sessionId}/findings/${id}`);
      expect(r.status).toBe(200);
      expect(validateOne(r.json), JSON.stringify(validateOne.errors)).toBe(true);
    }
    const full = await s.api<Record<string, unknown>>('GET', `/api/sessions/${sessionId}/findings/f-complete`);
    expect(Object.keys(full.json).sort()).toEqual([...zodFields].sort());
    expect(full.json).toEqual(JSON.parse(JSON.stringify(createFinding(complete))));
    const page = await s.api<{ items: unknown[] }>('GET', `/api/sessions/${sessionId}/findings?limit=10`);
    expect(page.status).toBe(200);
    expect(page.json.items).toHaveLength(2);
    for (const item of page.json.items) expect(validateItem(item), JSON.stringify(validateItem.errors)).toBe(true);
  });
});
