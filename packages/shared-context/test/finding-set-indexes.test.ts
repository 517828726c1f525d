import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateFindingError, FindingSet, NotFoundError, SEVERITIES, ValidationError, createFinding } from '../src/index.js';
import type { Finding, FindingInput, Severity } from '../src/index.js';

const input = (over: Partial<FindingInput> = {}): FindingInput => ({ source: 'rhodibot', ruleId: 'r1', severity: 'warning', message: 'm', ...over });

describe('FindingSet', () => {
  it('adds findings, iterates in insertion order and looks them up by id', () => {
    const set = new FindingSet();
    const a = set.add(input({ id: 'a' }));
    const b = set.add(input({ id: 'b', severity: 'error' }));
    expect(set.size).toBe(2);
    expect([...set]).toEqual([a, b]);
    expect(set.get('b')).toBe(b);
    expect(set.get('zzz')).toBeUndefined();
    expect(set.has('a')).toBe(true);
  });

  it('answers each query from its index', () => {
    const set = new FindingSet([
      input({ id: '1', source: 'rhodibot', severity: 'error', category: 'structure', fixable: true }),
      input({ id: '2', source: 'echidnabot', severity: 'warning', category: 'proofs' }),
      input({ id: '3', source: 'rhodibot', severity: 'info', category: 'structure', fixable: true }),
      input({ id: '4', source: 'glambot', severity: 'suggestion' }),
    ]);
    expect(set.bySource('rhodibot').map((f) => f.id)).toEqual(['1', '3']);
    expect(set.bySeverity('warning').map((f) => f.id)).toEqual(['2']);
    expect(set.byCategory('structure').map((f) => f.id)).toEqual(['1', '3']);
    expect(set.byCategory('').map((f) => f.id)).toEqual(['4']);
    expect(set.errors().map((f) => f.id)).toEqual(['1']);
    expect(set.warnings().map((f) => f.id)).toEqual(['2']);
    expect(set.hasErrors()).toBe(true);
    expect(set.blocksRelease()).toBe(true);
    expect(set.fixable().map((f) => f.id)).toEqual(['1', '3']);
    expect(set.unfixed()).toHaveLength(4);
    expect(set.countBySeverity()).toEqual({ error: 1, warning: 1, info: 1, suggestion: 1 });
    expect({ ...set.countBySource() }).toEqual({ rhodibot: 2, echidnabot: 1, glambot: 1 });
    expect({ ...set.countByCategory() }).toEqual({ structure: 2, proofs: 1, '': 1 });
    expect(set.bySource('nobody')).toEqual([]);
  });

  it('returns the same view on repeated queries (no copy per query)', () => {
    const set = new FindingSet([input(), input({ source: 'glambot' })]);
    expect(set.bySource('rhodibot')).toBe(set.bySource('rhodibot'));
    expect(set.countBySeverity()).toBe(set.countBySeverity());
    expect(Object.isFrozen(set.countBySeverity())).toBe(true);
  });

  it('hands out live views from the start: all and by-severity views taken while empty see later adds', () => {
    const set = new FindingSet();
    const all = set.all();
    const errors = set.errors();
    const infos = set.bySeverity('info');
    expect(set.bySource('rhodibot')).toHaveLength(0);
    expect(set.get('nope')).toBeUndefined();
    set.add({ source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'm', category: 'c' });
    set.add({ source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'm' });
    expect(all).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(infos).toHaveLength(1);
    expect(set.bySource('rhodibot')).toHaveLength(2);
    expect(set.byCategory('c')).toHaveLength(1);
    expect(set.fixable()).toHaveLength(0);
    expect(set.unfixed()).toHaveLength(2);
    // A second set is independent of the first (the empty indexes are shared, never written).
    expect(new FindingSet().bySource('rhodibot')).toHaveLength(0);
  });

  it('markFixed updates fixable, unfixed and the release verdict, but not hasErrors', () => {
    const set = new FindingSet([input({ id: 'e', severity: 'error', fixable: true })]);
    expect(set.markFixed('e')).toBe(true);
    expect(set.markFixed('e')).toBe(false);
    expect(set.get('e')?.fixed).toBe(true);
    expect(set.fixable()).toEqual([]);
    expect(set.unfixed()).toEqual([]);
    expect(set.blocksRelease()).toBe(false);
    expect(set.hasErrors()).toBe(true);
    expect(set.fixedCount()).toBe(1);
    expect(() => set.markFixed('missing')).toThrow(NotFoundError);
  });

  it('rejects a duplicate id, whether given as input or as a created finding', () => {
    const set = new FindingSet();
    const f = set.add(input({ id: 'x' }));
    expect(() => set.add(input({ id: 'x' }))).toThrow(DuplicateFindingError);
    expect(() => set.add(f)).toThrow(DuplicateFindingError);
    const g = createFinding(input());
    set.add(g);
    expect(() => set.add(g)).toThrow(DuplicateFindingError);
    expect(set.size).toBe(2);
  });

  it('adds a batch all or nothing, naming every bad element by index', () => {
    const set = new FindingSet([input({ id: 'keep' })]);
    const before = set.version;
    let err: unknown;
    try {
      set.addAll([input({ id: 'ok' }), input(), input(), { ...input(), severity: 'fatal' } as unknown as FindingInput, input({ id: 'keep' })]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const issues = (err as ValidationError).issues;
    expect(issues.map((i) => i.path)).toEqual([['findings', 3, 'severity'], ['findings', 4, 'id']]);
    expect((err as ValidationError).message).toContain('findings[3].severity');
    expect(set.size).toBe(1);
    expect(set.version).toBe(before);
    expect(set.get('ok')).toBeUndefined();
  });

  it('rejects duplicate ids inside one batch', () => {
    const set = new FindingSet();
    expect(() => set.addAll([input({ id: 'd' }), input({ id: 'd' })])).toThrow(/findings\[1\]\.id/);
    expect(set.size).toBe(0);
  });

  it('notifies subscribers of additions and fixes, and stops after unsubscribe', () => {
    const set = new FindingSet();
    const events: unknown[] = [];
    const off = set.subscribe((e) => events.push(e));
    set.add(input({ id: 'a' }));
    set.addAll([input(), input()]);
    set.markFixed('a');
    off();
    set.add(input());
    expect(events).toEqual([{ type: 'added', count: 1 }, { type: 'added', count: 2 }, { type: 'fixed', id: 'a' }]);
  });

  it('keeps every index equal to a plain filter over all findings, after any sequence of changes (property)', () => {
    const sources = ['rhodibot', 'echidnabot', 'glambot', 'custom-x'];
    const categories = ['', 'structure', 'proofs', 'a/b'];
    const findingArb = fc.record({
      source: fc.constantFrom(...sources),
      severity: fc.constantFrom(...SEVERITIES),
      category: fc.constantFrom(...categories),
      fixable: fc.boolean(),
      fixed: fc.boolean(),
      withId: fc.boolean(),
    });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), f: findingArb }),
      fc.record({ kind: fc.constant('addAll' as const), fs: fc.array(findingArb, { maxLength: 5 }), bad: fc.boolean() }),
      fc.record({ kind: fc.constant('fix' as const), i: fc.nat() }),
      fc.record({ kind: fc.constant('dupe' as const), i: fc.nat() }),
      // Queries between changes: the lazily kept lists must be right at any time, not only at the end.
      fc.record({ kind: fc.constant('query' as const) }),
      // Counts and views build the per-key indexes (at the first) and keep them
      // up to date; a view taken and held must see every later add.
      fc.record({ kind: fc.constant('counts' as const) }),
      fc.record({ kind: fc.constant('view' as const), by: fc.constantFrom('source', 'category', 'severity'), i: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const set = new FindingSet();
        const held: Array<{ view: readonly Finding[]; keep: (f: Finding) => boolean }> = [];
        let n = 0;
        const mk = (f: { source: string; severity: Severity; category: string; fixable: boolean; fixed: boolean; withId: boolean }): FindingInput => ({
          ...(f.withId ? { id: `id-${n}` } : {}),
          source: f.source,
          ruleId: 'r',
          severity: f.severity,
          category: f.category,
          fixable: f.fixable,
          fixed: f.fixed,
          message: `m${n++}`,
        });
        for (const o of ops) {
          if (o.kind === 'add') set.add(mk(o.f));
          else if (o.kind === 'addAll') {
            const batch: unknown[] = o.fs.map(mk);
            if (o.bad) batch.push({ source: 'x' });
            try {
              set.addAll(batch as FindingInput[]);
            } catch (e) {
              if (!(e instanceof ValidationError) || !o.bad) throw e;
            }
          } else if (o.kind === 'fix' && set.size > 0) set.markFixed(set.all()[o.i % set.size]!.id);
          else if (o.kind === 'query') {
            const now = [...set];
            expect(set.unfixed().map((f) => f.id)).toEqual(now.filter((f) => !f.fixed).map((f) => f.id));
            expect(set.fixable().map((f) => f.id)).toEqual(now.filter((f) => f.fixable && !f.fixed).map((f) => f.id));
          } else if (o.kind === 'counts') {
            const now = [...set];
            for (const s of sources) expect(set.countBySource()[s] ?? 0).toBe(now.filter((f) => f.source === s).length);
            for (const c of categories) expect(set.countByCategory()[c] ?? 0).toBe(now.filter((f) => f.category === c).length);
            for (const v of SEVERITIES) expect(set.countBySeverity()[v]).toBe(now.filter((f) => f.severity === v).length);
            expect(set.hasErrors()).toBe(now.some((f) => f.severity === 'error'));
          } else if (o.kind === 'view') {
            if (o.by === 'source') {
              const s = sources[o.i % sources.length]!;
              held.push({ view: set.bySource(s), keep: (f) => f.source === s });
            } else if (o.by === 'category') {
              const c = categories[o.i % categories.length]!;
              held.push({ view: set.byCategory(c), keep: (f) => f.category === c });
            } else {
              const v = SEVERITIES[o.i % SEVERITIES.length]!;
              held.push({ view: set.bySeverity(v), keep: (f) => f.severity === v });
            }
          } else if (o.kind === 'dupe' && set.size > 0) expect(() => set.add({ ...mk({ source: 'rhodibot', severity: 'info', category: '', fixable: false, fixed: false, withId: false }), id: set.all()[o.i % set.size]!.id })).toThrow(DuplicateFindingError);
        }
        const all = [...set];
        const ids = (xs: readonly Finding[]) => xs.map((f) => f.id);
        expect(set.size).toBe(all.length);
        // A list handed out before later adds is live: it has them too. (A key
        // without findings yet gets the shared, frozen empty list.)
        for (const h of held) if (!Object.isFrozen(h.view)) expect(ids(h.view)).toEqual(ids(all.filter(h.keep)));
        for (const s of sources) expect(ids(set.bySource(s))).toEqual(ids(all.filter((f) => f.source === s)));
        for (const c of categories) expect(ids(set.byCategory(c))).toEqual(ids(all.filter((f) => f.category === c)));
        for (const v of SEVERITIES) {
          expect(ids(set.bySeverity(v))).toEqual(ids(all.filter((f) => f.severity === v)));
          expect(set.countBySeverity()[v]).toBe(all.filter((f) => f.severity === v).length);
        }
        expect(ids(set.errors())).toEqual(ids(all.filter((f) => f.severity === 'error')));
        expect(ids(set.warnings())).toEqual(ids(all.filter((f) => f.severity === 'warning')));
        expect(ids(set.fixable())).toEqual(ids(all.filter((f) => f.fixable && !f.fixed)));
        expect(ids(set.unfixed())).toEqual(ids(all.filter((f) => !f.fixed)));
        expect(set.hasErrors()).toBe(all.some((f) => f.severity === 'error'));
        expect(set.blocksRelease()).toBe(all.some((f) => f.severity === 'error' && !f.fixed));
        expect(set.fixedCount()).toBe(all.filter((f) => f.fixed).length);
        for (const s of sources) expect(set.countBySource()[s] ?? 0).toBe(all.filter((f) => f.source === s).length);
        for (const c of categories) expect(set.countByCategory()[c] ?? 0).toBe(all.filter((f) => f.category === c).length);
        for (const f of all) expect(set.get(f.id)).toBe(f);
      }),
      { numRuns: 200 },
    );
  });
});
