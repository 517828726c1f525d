/**
 * FindingSet: every finding of a session, with indexes by source bot,
 * severity and category.
 *
 * Findings are never removed, so the per-key indexes are append-only arrays:
 * a query returns the index array itself as a read-only, live view (no scan,
 * no copy). The indexes (key-index.ts) are built at the first query and kept
 * up to date on every add from then on, and the list of all findings is one
 * array from its first read on (append-chunks.ts): a session that adds its
 * findings before it asks pays about one push per finding while adding. The
 * two lists that shrink on `markFixed` (fixable, unfixed) are compacted
 * lazily, at the first query after a change. The count records handed out
 * are frozen snapshots, cached until the next add.
 */
import type { BotId } from '../bots/roster.js';
import { DuplicateFindingError, NotFoundError, ValidationError } from '../errors.js';
import type { Issue } from '../issue.js';
import { CHUNK, joinChunks, pushChunked } from './append-chunks.js';
import type { Finding, FindingInput } from './finding.js';
import { buildFinding, isIssuedFinding, tryBuildFinding } from './finding.js';
import type { KeyIndexes } from './key-index.js';
import { indexFinding, newKeyIndexes } from './key-index.js';
import { randomId } from './random-id.js';
import type { Severity } from './severity.js';

const EMPTY: readonly Finding[] = Object.freeze([]);

// Shared by every empty set. Frozen where the language allows, and never
// written: a set gets its own before the first write.
const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];
const NO_IDS = new Map<string, Finding>();

// Reads Date.now at each call, so fake timers installed later are seen.
const systemNow = (): number => Date.now();

// The event of a single add, shared: no allocation per add.
const ADDED_ONE: FindingSetEvent = Object.freeze({ type: 'added', count: 1 });

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface KeyCounts {
  source?: Readonly<Record<string, number>>;
  category?: Readonly<Record<string, number>>;
}

/** A change to a {@link FindingSet}. */
export type FindingSetEvent = { readonly type: 'added'; readonly count: number } | { readonly type: 'fixed'; readonly id: string };

/** Options of a {@link FindingSet}. */
export interface FindingSetOptions {
  /** Clock for the `createdAt` of findings created from inputs. @default Date.now */
  readonly now?: () => number;
  /** Ids of findings created from inputs without one; see {@link CreateFindingOptions.newId}. @default random UUIDs */
  readonly newId?: () => string;
}

/** An indexed, append-only set of findings. Iterates in insertion order. */
export class FindingSet implements Iterable<Finding> {
  // The id index is caught up lazily (see #ids): a finding built here from an
  // input without an id gets a fresh random UUID, which cannot collide, so
  // bulk adds skip hashing ids nobody has asked for yet. Until the first
  // lookup the id map is a shared empty one (never written), and the fixable
  // list until the first fixable finding: creating a set — every Context
  // makes one — allocates little.
  #byId: Map<string, Finding> = NO_IDS;
  #idsIndexed = 0;
  // Every finding in order: #all, then the chunks (see append-chunks.ts),
  // which hold findings added past the first CHUNK before anything read the
  // list. `null` once the list has been read: #all is then handed out, so
  // every later finding is pushed onto it and a view of it stays live.
  #all: Finding[] = [];
  #chunks: Finding[][] | null | undefined;
  #size = 0;
  // The per-key indexes: undefined until the first query of one, built then
  // from every finding and kept up to date on every add from then on (so each
  // list handed out stays live). A session that adds its findings before it
  // asks pays no index push, and no index list grows (and is copied) while its
  // findings are young (adding 100,000 one at a time took a third less time).
  #bySource: Map<BotId, Finding[]> | undefined;
  #byCategory: Map<string, Finding[]> | undefined;
  #bySeverity: Record<Severity, Finding[]> | undefined;
  // Kept on every add, so hasErrors needs no index.
  #errors = 0;
  #fixable: Finding[] = NO_FINDINGS;
  // Undefined until a finding is fixed: until then every finding is unfixed
  // and the list is the list of all, so adding a finding costs one push fewer.
  #unfixed: Finding[] | undefined;
  #fixableDirty = false;
  #unfixedDirty = false;
  #unfixedErrors = 0;
  #fixedCount = 0;
  #version = 0;
  // The count records handed out, until the next add.
  #severityCounts: Readonly<Record<Severity, number>> | undefined;
  #keyCounts: KeyCounts | undefined;
  readonly #now: () => number;
  readonly #newId: () => string;
  #listeners: Set<(event: FindingSetEvent) => void> | undefined;

  constructor(findings?: Iterable<Finding | FindingInput>, options?: FindingSetOptions) {
    this.#now = options?.now ?? systemNow;
    this.#newId = options?.newId ?? randomId;
    if (findings !== undefined) this.addAll(findings);
  }

  /** Number of findings. */
  get size(): number {
    return this.#size;
  }

  /** Increases on every change; equal versions mean equal contents. */
  get version(): number {
    return this.#version;
  }

  [Symbol.iterator](): Iterator<Finding> {
    return this.all()[Symbol.iterator]();
  }

  /** All findings in insertion order (a live, read-only view). */
  all(): readonly Finding[] {
    if (this.#chunks !== null) this.#join();
    return this.#all;
  }

  /**
   * Adds one finding (a {@link Finding} or an input to validate and complete).
   * Throws {@link ValidationError} for a bad input and
   * {@link DuplicateFindingError} for an id already in the set.
   */
  add(finding: Finding | FindingInput): Finding {
    const f = this.#accept(finding);
    this.#insert(f);
    this.#notify(ADDED_ONE);
    return f;
  }

  /**
   * Adds many findings, all or nothing: every element is validated first, and
   * if any is bad (or repeats an id) the set is left unchanged and a
   * {@link ValidationError} lists each problem by index (`findings[3].severity`).
   */
  addAll(findings: Iterable<Finding | FindingInput>): Finding[] {
    const accepted: Finding[] = [];
    const issues: Issue[] = [];
    let seen: Set<string> | undefined;
    let i = 0;
    for (const item of findings) {
      // Inputs come from files too (Context.fromJSON): anything may be here, null included.
      const fresh = !isIssuedFinding(item) && typeof item === 'object' && item !== null && (item as { id?: unknown }).id === undefined;
      const f = isIssuedFinding(item)
        ? item
        : (tryBuildFinding(item, this.#now, this.#newId) ?? buildFinding(item, { now: this.#now, newId: this.#newId, path: ['findings', i] }, issues));
      if (f !== undefined) {
        if (fresh) {
          accepted.push(f);
        } else if (this.#ids().has(f.id) || (seen ??= new Set()).has(f.id)) {
          issues.push({ code: 'duplicate_id', path: ['findings', i, 'id'], message: `a finding with id "${f.id}" is already in the set` });
        } else {
          seen.add(f.id);
          accepted.push(f);
        }
      }
      i++;
    }
    if (issues.length > 0) throw new ValidationError(issues, 'addFindings');
    for (const f of accepted) this.#insert(f);
    if (accepted.length > 0) this.#notify({ type: 'added', count: accepted.length });
    return accepted;
  }

  /** The finding with this id, or undefined. */
  get(id: string): Finding | undefined {
    return this.#ids().get(id);
  }

  /** True when a finding with this id is in the set. */
  has(id: string): boolean {
    return this.#ids().has(id);
  }

  /** Marks a finding fixed. Throws {@link NotFoundError} for an unknown id. Returns false if it already was. */
  markFixed(id: string): boolean {
    const f = this.#ids().get(id) as Mutable<Finding> | undefined;
    if (f === undefined) throw new NotFoundError('finding', id);
    if (f.fixed) return false;
    f.fixed = true;
    this.#fixedCount++;
    if (f.severity === 'error') this.#unfixedErrors--;
    this.#unfixed ??= this.all().slice();
    this.#unfixedDirty = true;
    if (f.fixable) this.#fixableDirty = true;
    this.#version++;
    this.#notify({ type: 'fixed', id });
    return true;
  }

  /** Findings from one bot (live, read-only view). */
  bySource(bot: BotId): readonly Finding[] {
    return (this.#bySource ?? this.#index().bySource).get(bot) ?? EMPTY;
  }

  /** Findings of one severity (live, read-only view). */
  bySeverity(severity: Severity): readonly Finding[] {
    return (this.#bySeverity ?? this.#index().bySeverity)[severity] ?? EMPTY;
  }

  /** Findings of one category (live, read-only view). */
  byCategory(category: string): readonly Finding[] {
    return (this.#byCategory ?? this.#index().byCategory).get(category) ?? EMPTY;
  }

  /** Error findings (live, read-only view). */
  errors(): readonly Finding[] {
    return (this.#bySeverity ?? this.#index().bySeverity).error;
  }

  /** Warning findings (live, read-only view). */
  warnings(): readonly Finding[] {
    return (this.#bySeverity ?? this.#index().bySeverity).warning;
  }

  /** True when any finding is an error (fixed or not), as the original fleet counts it. */
  hasErrors(): boolean {
    return this.#errors > 0;
  }

  /**
   * True when the release must be blocked: an error finding that is not fixed.
   * (A fixed error no longer blocks.)
   */
  blocksRelease(): boolean {
    return this.#unfixedErrors > 0;
  }

  /** Findings that can be fixed and are not fixed yet. */
  fixable(): readonly Finding[] {
    if (this.#fixableDirty) {
      this.#fixable = this.#fixable.filter((f) => !f.fixed);
      this.#fixableDirty = false;
    }
    return this.#fixable;
  }

  /** Findings not fixed yet. */
  unfixed(): readonly Finding[] {
    if (this.#unfixed === undefined) return this.all();
    if (this.#unfixedDirty) {
      this.#unfixed = this.#unfixed.filter((f) => !f.fixed);
      this.#unfixedDirty = false;
    }
    return this.#unfixed;
  }

  /** Number of error findings not fixed yet (what blocks a release). */
  countUnfixedErrors(): number {
    return this.#unfixedErrors;
  }

  /** Number of fixed findings. */
  fixedCount(): number {
    return this.#fixedCount;
  }

  /** Number of findings per severity (all four keys present). */
  countBySeverity(): Readonly<Record<Severity, number>> {
    return this.#severityCounts ?? this.#countSeverities();
  }

  /** Number of findings per source bot. */
  countBySource(): Readonly<Record<BotId, number>> {
    const counts = (this.#keyCounts ??= {});
    counts.source ??= countsOf(this.#bySource ?? this.#index().bySource);
    return counts.source;
  }

  /** Number of findings per category (`''` for findings without one). */
  countByCategory(): Readonly<Record<string, number>> {
    const counts = (this.#keyCounts ??= {});
    counts.category ??= countsOf(this.#byCategory ?? this.#index().byCategory);
    return counts.category;
  }

  /** Bots that have findings in the set, in order of their first finding. */
  sources(): IterableIterator<BotId> {
    return (this.#bySource ?? this.#index().bySource).keys();
  }

  /** Categories present in the set, in order of their first finding. */
  categories(): IterableIterator<string> {
    return (this.#byCategory ?? this.#index().byCategory).keys();
  }

  /** Calls `listener` after each change; returns an unsubscribe function. */
  subscribe(listener: (event: FindingSetEvent) => void): () => void {
    (this.#listeners ??= new Set()).add(listener);
    return () => this.#listeners?.delete(listener);
  }

  #notify(event: FindingSetEvent): void {
    if (this.#listeners === undefined || this.#listeners.size === 0) return;
    for (const l of this.#listeners) l(event);
  }

  #accept(finding: Finding | FindingInput): Finding {
    if (isIssuedFinding(finding)) {
      if (this.#ids().has(finding.id)) throw new DuplicateFindingError(finding.id);
      return finding;
    }
    // The plain-code check first, without the allocations of the explaining path.
    let f = tryBuildFinding(finding, this.#now, this.#newId);
    if (f === undefined) {
      const issues: Issue[] = [];
      f = buildFinding(finding, { now: this.#now, newId: this.#newId }, issues);
      if (f === undefined) throw new ValidationError(issues, 'add');
    }
    if ((finding as { id?: unknown }).id !== undefined && this.#ids().has(f.id)) throw new DuplicateFindingError(f.id);
    return f;
  }

  #countSeverities(): Readonly<Record<Severity, number>> {
    const s = this.#bySeverity ?? this.#index().bySeverity;
    this.#severityCounts = Object.freeze({ error: s.error.length, warning: s.warning.length, info: s.info.length, suggestion: s.suggestion.length });
    return this.#severityCounts;
  }

  /** Joins the chunks into #all, which is handed out from now on. */
  #join(): void {
    if (this.#chunks != null) this.#all = joinChunks(this.#all, this.#chunks);
    this.#chunks = null;
  }

  /** Builds the per-key indexes from every finding; every add updates them from now on. */
  #index(): KeyIndexes {
    const keys = newKeyIndexes();
    for (const f of this.all()) indexFinding(keys.bySource, keys.byCategory, keys.bySeverity, f);
    this.#bySource = keys.bySource;
    this.#byCategory = keys.byCategory;
    this.#bySeverity = keys.bySeverity;
    return keys;
  }

  /** The id index, caught up with every finding added so far. */
  #ids(): Map<string, Finding> {
    const all = this.all();
    // Allocated at the first lookup, not the first finding: a short session may never look one up.
    if (this.#byId === NO_IDS && all.length > 0) this.#byId = new Map();
    for (let i = this.#idsIndexed; i < all.length; i++) {
      const f = all[i] as Finding;
      this.#byId.set(f.id, f);
    }
    this.#idsIndexed = all.length;
    return this.#byId;
  }

  #insert(f: Finding): void {
    const all = this.#all;
    if (all.length < CHUNK || this.#chunks === null) all.push(f);
    else this.#chunks = pushChunked(this.#chunks, f);
    this.#size++;
    const bySeverity = this.#bySeverity;
    if (bySeverity !== undefined) indexFinding(this.#bySource!, this.#byCategory!, bySeverity, f);
    if (f.severity === 'error') this.#errors++;
    if (!f.fixed) {
      if (this.#unfixed !== undefined) this.#unfixed.push(f);
      if (f.fixable) {
        if (this.#fixable === NO_FINDINGS) this.#fixable = [];
        this.#fixable.push(f);
      }
      if (f.severity === 'error') this.#unfixedErrors++;
    } else {
      // The first fixed finding: the unfixed list becomes its own (all but this one).
      this.#unfixed ??= this.all().slice(0, -1);
      this.#fixedCount++;
    }
    this.#version++;
    this.#severityCounts = undefined;
    this.#keyCounts = undefined;
  }
}

function countsOf(index: Map<string, Finding[]>): Readonly<Record<string, number>> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [key, list] of index) out[key] = list.length;
  return Object.freeze(out);
}

