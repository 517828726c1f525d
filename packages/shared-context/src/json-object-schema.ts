import { z } from 'zod';

/**
 * Accepts any plain object without copying it (zod's record would silently
 * drop a `__proto__` key); the value is then checked and copied by `copyJson`.
 */
export const PlainObjectSchema = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { message: 'expected an object' },
);
