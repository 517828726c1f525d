import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNNER_ERROR_CODES } from '../src/errors.js';

describe('runner error codes', () => {
  it('are documented in docs/errors.md, and nothing else is listed for the runner', () => {
    const doc = readFileSync(join(resolve(import.meta.dirname, '../../..'), 'docs', 'errors.md'), 'utf8');
    const section = doc.split('## @fleetkit/runner')[1]?.split(/\n## /)[0] ?? '';
    const listed = new Set([...section.matchAll(/`(FK_RUN_[A-Z_]+)`/g)].map((m) => m[1]));
    expect(listed).toEqual(new Set(RUNNER_ERROR_CODES));
  });
});
