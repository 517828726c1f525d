/**
 * Reads the instruction counts of a callgrind output file: the total and,
 * per function, the self and inclusive `Ir` (instructions executed). Format:
 * https://valgrind.org/docs/manual/cl-format.html.
 *
 * A profile decides whether a gate passes, so anything the parser does not
 * understand is an error naming the file and line, never a silent skip.
 */
import { readFileSync } from 'node:fs';
import { BenchError } from '../errors.js';

/** What one function cost, in instructions (`Ir`). */
export interface FunctionCost {
  /** The function as callgrind names it: a symbol, or `0x…` (16 hex digits) for code without one, such as V8's JIT code. A `'N` suffix marks recursion depth N (callgrind's `--separate-recs`). */
  readonly name: string;
  /** The ELF object of its code; null when callgrind did not know it (`???`) or the file names none. */
  readonly object: string | null;
  /** Instructions executed in the function itself. */
  readonly self: number;
  /**
   * Self plus the instructions of every call it made. Summed per call site,
   * so a recursive function that callgrind does not split into `name'2`…
   * counts its inner calls twice; compare inclusive costs of such functions
   * with care.
   */
  readonly inclusive: number;
}

/** One callgrind dump. */
export interface CallgrindProfile {
  /** The file it was read from (as given), for messages. */
  readonly file: string;
  /** The profiled process, from `pid:`; null if the file does not say. */
  readonly pid: number | null;
  /** The name given to the client request that dumped it (`desc: Trigger: Client Request: NAME`); null for a dump at program termination or any other trigger. */
  readonly trigger: string | null;
  /** All instructions counted in the dump. */
  readonly totalIr: number;
  /**
   * Costs by function name. A name seen in a second object is keyed
   * `name [object]` (`[???]` for an unknown object) so the two stay apart;
   * the same name in two source files of one object is one function.
   */
  readonly functions: ReadonlyMap<string, FunctionCost>;
}

/** Reads and parses a callgrind output file. */
export function readCallgrindFile(path: string): CallgrindProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BenchError('FK_BENCH_COUNTS', `cannot read callgrind file ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseCallgrind(text, path);
}

interface MutableCost {
  name: string;
  object: string | null;
  self: number;
  inclusive: number;
}

/** A header or body line's numbers, e.g. `totals:`, with the line it was on. */
interface CountLine {
  readonly ir: number;
  readonly line: number;
}

const CLIENT_REQUEST = 'Trigger: Client Request: ';

const enum Char {
  Tab = 9,
  Space = 32,
  Hash = 35,
  LeftParen = 40,
  RightParen = 41,
  Star = 42,
  Plus = 43,
  Minus = 45,
  Zero = 48,
  Nine = 57,
}

function isDigit(c: number): boolean {
  return c >= Char.Zero && c <= Char.Nine;
}

function isBlank(c: number): boolean {
  return c === Char.Space || c === Char.Tab;
}

/**
 * Parses the text of a callgrind output file; `file` only names it in
 * errors and in the result. One pass over the lines, with cost lines (the
 * bulk of a 50 MB file) scanned by character rather than split or matched.
 */
export function parseCallgrind(text: string, file: string): CallgrindProfile {
  return new Parser(file).parse(text);
}

/** The state of one pass over a file. */
class Parser {
  // Name compression: `fn=(12) name` defines id 12 for the rest of the file.
  // Files (fl/fi/fe/cfi/cfl/jfi), functions (fn/cfn/jfn) and objects (ob/cob)
  // number independently.
  private readonly fileNames = new Map<number, string>();
  private readonly fnNames = new Map<number, string>();
  private readonly objNames = new Map<number, string>();

  private readonly functions = new Map<string, MutableCost>();
  private readonly firstObjectOf = new Map<string, string | null>();
  /** The record a compressed `fn=(id)` led to last, and in which object: saves hashing long C++ names on every `fn=`. */
  private readonly recordOfFnId = new Map<number, { readonly object: string | null; readonly cost: MutableCost }>();

  private lineNo = 0;
  private sawVersion = false;
  private irColumn = -1;
  private positionCount = 1;
  private pid: number | null = null;
  private trigger: string | null = null;
  private creator = '';
  private summary: CountLine | null = null;
  private totals: CountLine | null = null;

  private object: string | null = null;
  private current: MutableCost | null = null;
  /** The `calls=` line whose cost line comes next; 0 if none. */
  private callLine = 0;
  private selfSum = 0;

  constructor(private readonly file: string) {}

  private fail(line: number, what: string): never {
    throw new BenchError('FK_BENCH_COUNTS', `${this.file}:${line}: ${what}`);
  }

  parse(text: string): CallgrindProfile {
    const n = text.length;
    if (n === 0) this.fail(1, 'empty file, not a callgrind profile');
    let pos = 0;
    while (pos < n) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = n;
      const next = end + 1;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      this.lineNo++;
      if (this.lineNo === 1) {
        const first = text.slice(pos, end);
        if (first.trim() !== '# callgrind format' && !first.startsWith('version:')) {
          this.fail(1, `not a callgrind profile: starts with "${abbreviate(first)}" instead of "# callgrind format"`);
        }
      }
      // Lines are read in place (offsets into `text`): cost lines, most of a file, never become strings.
      this.line(text, pos, end);
      pos = next;
    }
    return this.finish();
  }

  private line(text: string, start: number, end: number): void {
    if (start === end) return;
    const c = text.charCodeAt(start);
    if (c === Char.Hash) return;
    if (isDigit(c) || c === Char.Plus || c === Char.Minus || c === Char.Star) {
      this.costLine(text, start, end);
      return;
    }
    const line = text.slice(start, end);
    if (this.callLine !== 0) this.fail(this.lineNo, `calls= on line ${this.callLine} is not followed by its cost line`);
    const eq = line.indexOf('=');
    const colon = line.indexOf(':');
    if (eq > 0 && (colon < 0 || eq < colon)) this.specification(line, eq);
    else if (colon > 0) this.header(line, colon);
    else this.fail(this.lineNo, `unrecognised line "${abbreviate(line)}"`);
  }

  private costLine(text: string, start: number, end: number): void {
    if (this.irColumn < 0) this.fail(this.lineNo, 'cost line before events:');
    const fn = this.current;
    if (fn === null) return this.fail(this.lineNo, 'cost line before any fn=');
    const ir = this.costLineIr(text, start, end);
    if (this.callLine !== 0) {
      // The line after `calls=` is what the call cost, callee included.
      fn.inclusive += ir;
      this.callLine = 0;
    } else {
      fn.self += ir;
      fn.inclusive += ir;
      this.selfSum += ir;
    }
  }

  /** The `Ir` of a cost line: skips the positions, then reads the Ir column (0 if the line stops short). */
  private costLineIr(text: string, start: number, end: number): number {
    let i = start;
    for (let p = 0; p < this.positionCount; p++) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i === end) this.fail(this.lineNo, `cost line has fewer than the ${this.positionCount} positions of "positions:"`);
      while (i < end && !isBlank(text.charCodeAt(i))) i++;
    }
    let ir = 0;
    for (let column = 0; ; column++) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i === end) return ir;
      const from = i;
      let value = 0;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (isBlank(c)) break;
        if (!isDigit(c)) {
          let to = i;
          while (to < end && !isBlank(text.charCodeAt(to))) to++;
          this.fail(this.lineNo, `non-numeric cost "${abbreviate(text.slice(from, to))}"`);
        }
        value = value * 10 + (c - Char.Zero);
        i++;
      }
      // Columns after Ir are still scanned: a corrupt one must not pass unnoticed.
      if (column === this.irColumn) ir = value;
    }
  }

  /** `xx=value` body lines: positions, name definitions and calls. */
  private specification(line: string, eq: number): void {
    let at = eq + 1;
    while (at < line.length && isBlank(line.charCodeAt(at))) at++;
    switch (line.slice(0, eq)) {
      case 'fn':
        this.current = this.enterFunction(line, at);
        return;
      case 'cfn':
      case 'jfn':
        this.uncompress(this.fnNames, line, at);
        return;
      case 'ob': {
        const name = this.uncompress(this.objNames, line, at);
        this.object = name === '???' ? null : name;
        return;
      }
      case 'cob':
        this.uncompress(this.objNames, line, at);
        return;
      case 'fl':
      case 'fi':
      case 'fe':
      case 'cfi':
      case 'cfl':
      case 'jfi':
        this.uncompress(this.fileNames, line, at);
        return;
      case 'calls': {
        if (this.current === null) this.fail(this.lineNo, 'calls= before any fn=');
        let i = at;
        while (i < line.length && isDigit(line.charCodeAt(i))) i++;
        if (i === at || (i < line.length && !isBlank(line.charCodeAt(i)))) this.fail(this.lineNo, `malformed calls= line "${abbreviate(line)}"`);
        this.callLine = this.lineNo;
        return;
      }
      case 'jump':
      case 'jcnd':
        return;
      default:
        this.fail(this.lineNo, `unrecognised line "${abbreviate(line)}"`);
    }
  }

  /** The id of a compressed name `(id)…` starting at `at` and where what follows it starts; null for a plain name. */
  private compressedId(line: string, at: number): { readonly id: number; readonly rest: number } | null {
    if (line.charCodeAt(at) !== Char.LeftParen || !isDigit(line.charCodeAt(at + 1))) return null;
    let id = 0;
    let i = at + 1;
    while (i < line.length && isDigit(line.charCodeAt(i))) id = id * 10 + (line.charCodeAt(i++) - Char.Zero);
    if (line.charCodeAt(i) !== Char.RightParen) this.fail(this.lineNo, `malformed compressed name "${abbreviate(line.slice(at))}" (no closing parenthesis after the id)`);
    i++;
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    return { id, rest: i };
  }

  /** Resolves a possibly compressed name, defining it if the line gives one. */
  private uncompress(names: Map<number, string>, line: string, at: number): string {
    const c = this.compressedId(line, at);
    if (c === null) return line.slice(at).trimEnd();
    if (c.rest < line.length) {
      const given = line.slice(c.rest).trimEnd();
      names.set(c.id, given);
      return given;
    }
    const known = names.get(c.id);
    if (known === undefined) this.fail(this.lineNo, `reference to name (${c.id}), which no earlier line defines`);
    return known;
  }

  /** The record of the function an `fn=` line at `at` names. */
  private enterFunction(line: string, at: number): MutableCost {
    const c = this.compressedId(line, at);
    if (c !== null && c.rest === line.length) {
      const cached = this.recordOfFnId.get(c.id);
      if (cached !== undefined && cached.object === this.object) return cached.cost;
    }
    const cost = this.record(this.uncompress(this.fnNames, line, at));
    if (c !== null) this.recordOfFnId.set(c.id, { object: this.object, cost });
    return cost;
  }

  /** A function's record: keyed by name, or `name [object]` for a name already seen in another object. */
  private record(name: string): MutableCost {
    let key = name;
    const first = this.firstObjectOf.get(name);
    if (first === undefined) this.firstObjectOf.set(name, this.object);
    else if (first !== this.object) key = `${name} [${this.object ?? '???'}]`;
    let cost = this.functions.get(key);
    if (cost === undefined) {
      cost = { name, object: this.object, self: 0, inclusive: 0 };
      this.functions.set(key, cost);
    }
    return cost;
  }

  private header(line: string, colon: number): void {
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    switch (key) {
      case 'version':
        if (value !== '1') this.fail(this.lineNo, `unsupported callgrind format version "${abbreviate(value)}" (this parser reads version 1)`);
        this.sawVersion = true;
        return;
      case 'creator':
        this.creator = value;
        return;
      case 'pid':
        if (!/^\d+$/.test(value)) this.fail(this.lineNo, `non-numeric pid "${abbreviate(value)}"`);
        this.pid = Number(value);
        return;
      case 'desc':
        if (value.startsWith(CLIENT_REQUEST)) this.trigger = value.slice(CLIENT_REQUEST.length).trim();
        return;
      case 'positions':
        this.positionCount = value.split(/\s+/).filter((p) => p !== '').length;
        if (this.positionCount === 0) this.fail(this.lineNo, 'positions: names no position');
        return;
      case 'events': {
        if (this.current !== null) this.fail(this.lineNo, 'events: after the first cost line');
        const events = value.split(/\s+/);
        this.irColumn = events.indexOf('Ir');
        if (this.irColumn < 0) this.fail(this.lineNo, `events: "${abbreviate(value)}" has no Ir column; instruction counts need the Ir event`);
        return;
      }
      case 'summary':
        this.summary = this.countLine(key, value);
        return;
      case 'totals':
        this.totals = this.countLine(key, value);
        return;
      default:
        // cmd:, part:, thread:, event: (long event names)… carry nothing counted.
        if (!/^[A-Za-z]+$/.test(key)) this.fail(this.lineNo, `unrecognised line "${abbreviate(line)}"`);
    }
  }

  /** The Ir of a `summary:`/`totals:` value. */
  private countLine(key: string, value: string): CountLine {
    if (this.irColumn < 0) this.fail(this.lineNo, `${key}: before events:`);
    const raw = value.split(/\s+/)[this.irColumn] ?? '0';
    if (!/^\d+$/.test(raw)) this.fail(this.lineNo, `non-numeric ${key}: "${abbreviate(raw)}"`);
    return { ir: Number(raw), line: this.lineNo };
  }

  private finish(): CallgrindProfile {
    const last = this.lineNo;
    if (this.callLine !== 0) this.fail(this.callLine, 'file ends after calls= without its cost line (truncated?)');
    if (!this.sawVersion) this.fail(last, 'no version: line; not a callgrind profile');
    if (this.irColumn < 0) this.fail(last, 'no events: line; not a callgrind profile');
    const { totals, summary, selfSum } = this;
    // Callgrind writes `totals:` as a file's last line, so a callgrind file without one was cut short.
    if (totals === null && this.creator.startsWith('callgrind')) {
      this.fail(last, `file ends without the totals: line ${this.creator} writes last (truncated?)`);
    }
    let totalIr = selfSum;
    if (totals !== null) {
      if (totals.ir !== selfSum) this.fail(totals.line, `totals: says ${totals.ir} Ir but the cost lines add up to ${selfSum} (corrupt file)`);
      totalIr = totals.ir;
    } else if (summary !== null && summary.ir !== 0) {
      // With --instr-atstart=no callgrind writes `summary: 0`, so only a non-zero summary can be checked.
      if (summary.ir !== selfSum) this.fail(summary.line, `summary: says ${summary.ir} Ir but the cost lines add up to ${selfSum} (truncated or corrupt file)`);
      totalIr = summary.ir;
    }
    return { file: this.file, pid: this.pid, trigger: this.trigger, totalIr, functions: this.functions };
  }
}

function abbreviate(line: string): string {
  const printable = line.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 60 ? `${printable.slice(0, 57)}...` : printable;
}
