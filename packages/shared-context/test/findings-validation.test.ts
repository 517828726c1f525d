import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FindingInputSchema, ValidationError, createFinding, findingFingerprint, locationString } from '../src/index.js';
import type { Finding, FindingInput, Severity } from '../src/index.js';

describe('createFinding', () => {
  it('fills the defaults', () => {
    const f = createFinding({ source: 'rhodibot', ruleId: 'missing-license', severity: 'error', message: 'No LICENSE' }, { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    expect(f.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(f).toMatchObject({ ruleName: 'missing-license', category: '', fixable: false, fixed: false, createdAt: '2026-01-02T03:04:05.000Z', related: [], metadata: {} });
    expectTypeOf(f).toEqualTypeOf<Finding>();
    expectTypeOf<FindingInput['severity']>().toEqualTypeOf<Severity>();
  });

  it('gives every finding a different random id', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => createFinding({ source: 'a', ruleId: 'r', severity: 'info', message: '' }).id));
    expect(ids.size).toBe(2000);
  });

  it('keeps what it is given', () => {
    const given: FindingInput = {
      id: 'x1', source: 'glambot', ruleId: 'alt', ruleName: 'Alt text', severity: 'warning', message: 'img without alt', category: 'accessibility',
      file: 'index.html', line: 3, column: 7, element: 'img', suggestion: 'add alt', fixable: true, fixed: false,
      createdAt: '2026-02-03T04:05:06.000+02:00', related: ['y'], metadata: { a: [1, { b: null }] }, recipeId: 'rec', confidence: 0.5,
    };
    expect({ ...createFinding(given) }).toEqual(given);
  });

  it('leaves the optional fields out of a finding that sets none, and keeps them all (in one order) when one is set', () => {
    const core = createFinding({ source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'm' });
    const CORE = ['id', 'source', 'ruleId', 'ruleName', 'severity', 'message', 'category', 'fixable', 'fixed', 'createdAt', 'related', 'metadata'];
    expect(Object.keys(core)).toEqual(CORE);
    expect(core.file).toBeUndefined();
    expect(core.confidence).toBeUndefined();
    // Each optional field alone gives the full record, with every field in the Finding's order.
    const FULL = ['id', 'source', 'ruleId', 'ruleName', 'severity', 'message', 'category', 'file', 'line', 'column', 'element', 'suggestion', 'fixable', 'fixed', 'createdAt', 'related', 'metadata', 'recipeId', 'confidence'];
    const optional = { file: 'a.ts', line: 2, column: 3, element: 'e', suggestion: 's', recipeId: 'rec', confidence: 0.5 };
    for (const [key, value] of Object.entries(optional)) {
      const f = createFinding({ source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'm', [key]: value });
      expect(Object.keys(f)).toEqual(FULL);
      expect(f[key as keyof Finding]).toBe(value);
    }
    // Both kinds are issued findings: taken back as they are, with the fingerprint accessor.
    const full = createFinding({ source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'm', file: 'a.ts' });
    for (const f of [core, full]) {
      expect(createFinding(f)).toBe(f);
      expect((f as unknown as { fingerprint: string }).fingerprint).toBe(findingFingerprint({ ...f }));
    }
    // A spread copy is a plain object and validated again.
    expect(() => createFinding({ ...core, severity: 'fatal' } as unknown as FindingInput)).toThrow(ValidationError);
  });

  it('names every problem with its path', () => {
    let err: ValidationError | undefined;
    try {
      createFinding({ source: '', ruleId: 'r', severity: 'fatal', message: 1, line: 0, extra: true } as unknown as FindingInput);
    } catch (e) {
      err = e as ValidationError;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(err?.code).toBe('FK_VALIDATION');
    expect(err?.issues.map((i) => i.path.join('.')).sort()).toEqual(['', 'line', 'message', 'severity', 'source']);
  });

  it('rejects metadata that is not JSON', () => {
    expect(() => createFinding({ source: 'a', ruleId: 'r', severity: 'info', message: 'm', metadata: { f: () => 1 } as never })).toThrow(/metadata\.f/);
    expect(() => createFinding({ source: 'a', ruleId: 'r', severity: 'info', message: 'm', metadata: { n: Number.NaN } })).toThrow(/metadata\.n/);
    expect(() => createFinding({ source: 'a', ruleId: 'r', severity: 'info', message: 'm', metadata: { d: new Date() } as never })).toThrow(ValidationError);
  });

  it('keeps __proto__ and constructor keys in metadata as plain data, polluting nothing', () => {
    const raw = JSON.parse('{"source":"a","ruleId":"r","severity":"info","message":"m","metadata":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"deep":{"__proto__":{"y":2}}}}') as FindingInput;
    const f = createFinding(raw);
    expect(Object.getPrototypeOf(f.metadata)).toBe(Object.prototype);
    expect(Object.keys(f.metadata)).toEqual(['__proto__', 'constructor', 'deep']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((f.metadata as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(f.metadata))).toEqual(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"deep":{"__proto__":{"y":2}}}'));
  });

  it('copies metadata so later changes by the caller do not leak in', () => {
    const meta = { list: [1] };
    const f = createFinding({ source: 'a', ruleId: 'r', severity: 'info', message: 'm', metadata: meta });
    meta.list.push(2);
    expect(f.metadata).toEqual({ list: [1] });
  });

  it('accepts exactly what the zod schema accepts (fast path vs schema, property)', () => {
    const value = fc.oneof(
      fc.string(), fc.constant(''), fc.integer({ min: -3, max: 5 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
      fc.constantFrom('error', 'warning', 'info', 'suggestion', 'ERROR'),
      fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01T00:00:00.123+05:30', '2026-01-01', 'nope', '2024-02-29T12:00:00Z', '2023-02-29T12:00:00Z'),
      fc.array(fc.string(), { maxLength: 2 }), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({ a: 1 }), fc.constant([]),
    );
    const keys = ['id', 'source', 'ruleId', 'ruleName', 'severity', 'message', 'category', 'file', 'line', 'column', 'element', 'suggestion', 'fixable', 'fixed', 'createdAt', 'related', 'metadata', 'recipeId', 'confidence', 'unknownKey'];
    const base = { source: 'rhodibot', ruleId: 'r', severity: 'warning', message: 'm' };
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }), fc.boolean(), (changes, startValid) => {
        const candidate: Record<string, unknown> = startValid ? { ...base, ...changes } : changes;
        const zodOk = FindingInputSchema.safeParse(candidate).success;
        let ours: Finding | undefined;
        try {
          ours = createFinding(candidate as FindingInput);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
        }
        expect(ours !== undefined).toBe(zodOk);
        if (ours !== undefined) {
          for (const [k, v] of Object.entries(candidate)) if (v !== undefined && k !== 'metadata' && k !== 'related') expect(ours[k as keyof Finding]).toEqual(v);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('locationString and fingerprints', () => {
  it('rejects positions beyond the safe integers, like the schema (found by the property above)', () => {
    const base = { source: 'rhodibot', ruleId: 'r', severity: 'info' as const, message: 'm' };
    for (const column of [2 ** 53, Number.MAX_VALUE]) {
      expect(FindingInputSchema.safeParse({ ...base, column }).success).toBe(false);
      expect(() => createFinding({ ...base, column })).toThrow(ValidationError);
    }
    expect(createFinding({ ...base, column: 2 ** 53 - 1 }).column).toBe(2 ** 53 - 1);
  });

  it('formats file:line:column, file:line, file, and nothing without a file', () => {
    expect(locationString({ file: 'a.ts', line: 3, column: 4 })).toBe('a.ts:3:4');
    expect(locationString({ file: 'a.ts', line: 3 })).toBe('a.ts:3');
    expect(locationString({ file: 'a.ts', column: 4 })).toBe('a.ts');
    expect(locationString({ line: 3 })).toBeUndefined();
  });

  it('gives the same problem the same fingerprint across runs, whatever its id, count in the message or line', () => {
    const a = createFinding({ source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'Found 3 issues in  Foo', file: 'a.ts', line: 10 });
    const b = createFinding({ source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'found 7 issues in foo', file: 'a.ts', line: 12 });
    expect(findingFingerprint(a)).toBe(findingFingerprint(b));
    expect(findingFingerprint(a, { includeLine: true })).not.toBe(findingFingerprint(b, { includeLine: true }));
    expect(findingFingerprint(a)).not.toBe(findingFingerprint({ ...a, file: 'b.ts' }));
    expect(findingFingerprint(a)).not.toBe(findingFingerprint({ ...a, source: 'glambot' }));
    expect(findingFingerprint(a)).toMatch(/^[0-9a-f]{32}$/);
  });
});
