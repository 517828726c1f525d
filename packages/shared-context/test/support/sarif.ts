/** Validates SARIF logs against the official 2.1.0 schema (vendored in test/fixtures; JSON Schema draft-04). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';

export function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
  // ajv-draft-04 is CommonJS: its class is the `default` of the module object.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, validateFormats: false });
  return ajv.compile(schema);
}
