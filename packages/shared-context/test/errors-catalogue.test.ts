import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BotNotRegisteredError,
  DependenciesNotDoneError,
  DuplicateFindingError,
  ERROR_CODES,
  FleetError,
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  NotFoundError,
  StorageError,
  StorageUnavailableError,
  ValidationError,
} from '../src/index.js';
import { repoRoot } from './support/paths.js';

const doc = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');
const section = doc.split('## @fleetkit/shared-context')[1]?.split(/\n## /)[0] ?? '';

describe('error catalogue', () => {
  it('documents every shared-context code in docs/errors.md', () => {
    for (const code of ERROR_CODES) expect(section, code).toContain(`\`${code}\``);
  });

  it('documents no shared-context code that does not exist', () => {
    const documented = [...section.matchAll(/`(FK_[A-Z_]+)`/g)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(new Set(ERROR_CODES));
  });

  it('gives every error class its code, its name and FleetError as base', () => {
    const errors: FleetError[] = [
      new BotNotRegisteredError('b'),
      new InvalidTransitionError('b', 'pending', 'completed'),
      new DependenciesNotDoneError('b', ['a']),
      new ValidationError([{ code: 'x', path: ['a', 0], message: 'bad' }], 'file.json'),
      new NotFoundError('session', 's'),
      new DuplicateFindingError('id'),
      new StorageError('/tmp/x', 'disk full'),
      new StorageUnavailableError('postgres://u@h/db', 'connection refused'),
      new IdempotencyKeyReusedError('s', 'k'),
    ];
    expect(errors.map((e) => e.code).sort()).toEqual([...ERROR_CODES].sort());
    for (const e of errors) {
      expect(e).toBeInstanceOf(FleetError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(e.constructor.name);
    }
    expect(errors[3]?.message).toBe('file.json: invalid input: a[0]: bad');
  });
});
