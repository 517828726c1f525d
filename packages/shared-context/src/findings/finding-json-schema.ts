/**
 * The JSON Schema (draft-07) of a serialized finding, for JSON Schema
 * consumers: fast-json-stringify serializers (reports, the dashboard's API)
 * and OpenAPI documents. It mirrors the zod schema of `createFinding`.
 */
import { SEVERITIES } from './severity.js';

const str = { type: 'string' } as const;

/** JSON Schema of a {@link Finding} as `JSON.stringify` writes it. */
export const FindingJSONSchema = {
  type: 'object',
  properties: {
    id: str,
    source: str,
    ruleId: str,
    ruleName: str,
    severity: { type: 'string', enum: SEVERITIES },
    message: str,
    category: str,
    file: str,
    line: { type: 'integer', minimum: 1 },
    column: { type: 'integer', minimum: 1 },
    element: str,
    suggestion: str,
    fixable: { type: 'boolean' },
    fixed: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    related: { type: 'array', items: str },
    metadata: { type: 'object', additionalProperties: true },
    recipeId: str,
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
  required: ['id', 'source', 'ruleId', 'ruleName', 'severity', 'message', 'category', 'fixable', 'fixed', 'createdAt', 'related', 'metadata'],
} as const;
