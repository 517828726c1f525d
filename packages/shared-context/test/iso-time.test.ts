import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../src/iso-time.js';

describe('isoTime writes what Date.prototype.toISOString writes', () => {
  it('for any millisecond from year 0 to 9999, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), { minLength: 1, maxLength: 50 }), (times) => {
        for (const ms of times) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('for runs of nearby times, across minute, hour, day and year boundaries', () => {
    const starts = [Date.UTC(2026, 11, 31, 23, 59, 58, 990), Date.UTC(1969, 11, 31, 23, 59, 59, 500), Date.UTC(2024, 1, 29, 12, 0, 59, 999), 0];
    for (const start of starts) for (let ms = start; ms < start + 3000; ms += 7) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('for years outside 0000–9999 and fractional times, and throws as Date does on invalid times', () => {
    for (const ms of [8.64e15, -8.64e15, 253_402_300_800_000, -62_167_219_200_001, 1_767_225_600_000.5, 1_767_225_600_000.5]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
