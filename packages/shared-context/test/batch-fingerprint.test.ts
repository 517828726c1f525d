/**
 * A batch's fingerprint is stored with its idempotency key, so it must stay
 * the digest it always was — of the batch's JSON text — however it is
 * computed: a retry arriving after an upgrade is recognised, not refused as
 * a reused key.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchFingerprint } from '../src/index.js';
import type { FindingInput } from '../src/index.js';

const digestOfText = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('base64url');

describe('batchFingerprint', () => {
  it('is the SHA-256 of the JSON text of the whole batch, for any values in it', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), fc.constant(undefined), fc.constant(null))), (batch) => {
        expect(batchFingerprint(batch as FindingInput[])).toBe(digestOfText(batch));
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });

  it('tells batches apart that differ in order or in one field', () => {
    const a: FindingInput = { source: 'rhodibot', ruleId: 'r1', severity: 'error', message: 'one' };
    const b: FindingInput = { ...a, message: 'two' };
    expect(batchFingerprint([a, b])).not.toBe(batchFingerprint([b, a]));
    expect(batchFingerprint([a])).not.toBe(batchFingerprint([{ ...a, severity: 'warning' }]));
    expect(batchFingerprint([])).toBe(digestOfText([]));
  });
});
