/**
 * Idempotency keys of appended batches, the same in every storage: a key is
 * stored with the fingerprint of its batch, so a retry of the same batch is
 * recognised (and not added twice) and a key reused for another batch is an
 * error rather than a silent loss.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { Finding, FindingInput } from '../findings/finding.js';

/** Longest idempotency key accepted. */
export const MAX_IDEMPOTENCY_KEY = 200;

/** A stored batch, as an idempotency key refers to it. */
export interface StoredBatch {
  /** {@link batchFingerprint} of the batch as first appended. */
  readonly fingerprint: string;
  readonly firstSeq: number;
  readonly added: number;
}

/** Throws a {@link ValidationError} unless `key` is 1 to 200 visible ASCII characters (what an HTTP header carries). */
export function checkIdempotencyKey(key: unknown, source = 'appendFindings'): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ValidationError(
      [{ code: 'invalid_key', path: ['idempotencyKey'], message: `must be 1 to ${MAX_IDEMPOTENCY_KEY} visible ASCII characters (no spaces)` }],
      source,
    );
  }
  return key;
}

/** A digest of a batch as given (before ids and times are filled in), so a retry of the same batch has the same fingerprint. */
export function batchFingerprint(findings: readonly (Finding | FindingInput)[]): string {
  // The digest of JSON.stringify(findings), fed a finding at a time: a batch of
  // 10,000 never becomes one string of megabytes (garbage the size of the body).
  const hash = createHash('sha256').update('[');
  for (let i = 0; i < findings.length; i++) {
    if (i > 0) hash.update(',');
    hash.update((JSON.stringify(findings[i]) as string | undefined) ?? 'null');
  }
  return hash.update(']').digest('base64url');
}
