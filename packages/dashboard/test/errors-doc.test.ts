import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_ERROR_CODES } from '../src/index.js';

describe('dashboard error codes', () => {
  it('are documented in docs/errors.md, and nothing else is listed for the dashboard', () => {
    const doc = readFileSync(join(resolve(import.meta.dirname, '../../..'), 'docs', 'errors.md'), 'utf8');
    const section = doc.split('## @fleetkit/dashboard')[1]?.split(/\n## /)[0] ?? '';
    const table = section.slice(section.indexOf('| code |'));
    const listed = new Set([...table.matchAll(/^\| `(FK_[A-Z_]+)`/gm)].map((m) => m[1]));
    expect(listed).toEqual(new Set(DASHBOARD_ERROR_CODES));
  });
});
