/** Validates SARIF logs against the official 2.1.0 schema (vendored in fixtures/; JSON Schema draft-04). */
import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import { sarifSchemaFile } from './paths.js';

export function sarifValidator() {
  const schema = JSON.parse(readFileSync(sarifSchemaFile, 'utf8')) as object;
  // ajv-draft-04 is CommonJS: its class is the `default` of the module object.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, validateFormats: false });
  return ajv.compile(schema);
}
