/**
 * SARIF 2.1.0: one run per report, the rules used, one result per finding,
 * fingerprints stable across runs, within GitHub code scanning's limits.
 * A suppressed finding is a result with an external, accepted suppression
 * (kept in the log, as SARIF wants, so viewers can show or hide it); with a
 * baseline every result has a `baselineState`.
 */
import type { Finding } from '../findings/finding.js';
import { createFinding, findingFingerprint, isIssuedFinding, optPosition } from '../findings/finding.js';
import { isSeverity } from '../findings/severity.js';
import type { Severity } from '../findings/severity.js';
import { wellFormed } from './escape.js';
import { jsonString, wellFormedJsonString } from './json-string.js';
import type { ReportModel } from './model.js';
import { baselineStateOf, suppressionOf } from './model.js';
import { FLEETKIT_VERSION } from './version.js';

/** GitHub code scanning accepts at most this many results per run. */
export const SARIF_MAX_RESULTS = 25_000;

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note', suggestion: 'note' };

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A URI relative to the repository root (SARIF wants `/` separators, no leading `./` or `/`). */
export function relativeUri(file: string): string {
  const norm = file.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  // Percent-encode what a URI reference may not contain; keep `/`.
  return norm
    .split('/')
    .map((seg) => encodeURIComponent(wellFormed(seg)))
    .join('/');
}

interface RuleEntry {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly source: string;
  readonly category: string;
  readonly example: string;
  readonly suggestion: string | undefined;
}

function ruleOf(f: Finding): RuleEntry {
  return { id: f.ruleId, name: f.ruleName, severity: f.severity, source: f.source, category: f.category, example: f.message, suggestion: f.suggestion };
}

function nonEmpty(text: string, fallback: string): string {
  const t = wellFormed(text).trim();
  return t === '' ? fallback : t;
}

// Rules and results are written as text, each string through jsonString:
// building an object per rule and result with optional members spread in, to
// stringify it whole, cost several times the text itself. Members keep the
// order the objects had.
const str = jsonString;
const wjson = wellFormedJsonString;

function ruleJson(r: RuleEntry): string {
  const short = nonEmpty(r.name, r.id);
  const full = nonEmpty(`${r.name}: reported by ${r.source}${r.category === '' ? '' : ` in ${r.category}`}.`, short);
  const help = nonEmpty(r.suggestion ?? `Review findings of rule ${r.id} reported by ${r.source}.`, short);
  // SARIF wants `name` to differ from the opaque `id` (SARIF1001): leave it out when they match.
  const name = r.name === r.id ? '' : `,"name":${wjson(r.name)}`;
  const tags = r.category === '' ? '' : `,"tags":[${wjson(r.category)}]`;
  return `{"id":${wjson(r.id)}${name},"shortDescription":{"text":${str(short.slice(0, 1024))}},"fullDescription":{"text":${str(full.slice(0, 1024))}},"help":{"text":${str(
    help.slice(0, 4096),
  )}},"defaultConfiguration":{"level":"${LEVEL[r.severity]}"},"properties":{"fleetkit/bot":${wjson(r.source)}${tags}}}`;
}

/**
 * The finding as resultJson may write it: values written without quoting or
 * escaping (severity, flags, positions) are checked first. A finding of a set
 * passes (its fields were validated when it was made); anything else — a plain
 * finding of a custom SessionView, or a record changed behind the type's
 * back — is validated as a new finding, which throws a ValidationError naming
 * what is wrong.
 */
function checked(f: Finding): Finding {
  if (isIssuedFinding(f) && isSeverity(f.severity) && typeof f.fixable === 'boolean' && typeof f.fixed === 'boolean' && optPosition(f.line) && optPosition(f.column)) return f;
  return createFinding({ ...f }, { source: 'SARIF report' });
}

function resultJson(model: ReportModel, raw: Finding, ruleIndex: number): string {
  const f = checked(raw);
  const suppression = suppressionOf(model, f);
  const baselineState = baselineStateOf(model, f);
  let out = `{"ruleId":${wjson(f.ruleId)},"ruleIndex":${ruleIndex},"level":"${LEVEL[f.severity]}","message":{"text":${str(nonEmpty(f.message, f.ruleName))}},"partialFingerprints":{"fleetkit/v1":"${findingFingerprint(f)}"}`;
  if (suppression !== undefined) {
    // `kind: external`: the decision lives in a suppressions file, not in the source (SARIF §3.35.2).
    const expires = suppression.expires === undefined ? '' : `,"properties":{"expires":${str(suppression.expires)}}`;
    out += `,"suppressions":[{"kind":"external","status":"accepted","justification":${wjson(suppression.justification)}${expires}}]`;
  }
  if (baselineState !== undefined) out += `,"baselineState":"${baselineState}"`;
  const located = f.file !== undefined && f.file !== '';
  out += `,"properties":{"bot":${wjson(f.source)},"severity":"${f.severity}","fixable":${f.fixable},"fixed":${f.fixed}${f.category === '' ? '' : `,"category":${wjson(f.category)}`}`;
  if (!located) return `${out}}}`;
  // A file-level finding (no line) is placed at line 1, as code scanning shows such alerts;
  // `properties.lineKnown` says so, so an importer can tell it from a real line 1.
  if (f.line === undefined) out += ',"lineKnown":false';
  const column = f.line !== undefined && f.column !== undefined ? `,"startColumn":${f.column}` : '';
  return `${out}},"locations":[{"physicalLocation":{"artifactLocation":{"uri":${str(relativeUri(f.file!))},"uriBaseId":"%SRCROOT%"},"region":{"startLine":${f.line ?? 1}${column}}}}]}`;
}

/** Renders a report model as a SARIF 2.1.0 log, chunk by chunk. */
export function* sarifChunks(model: ReportModel): Generator<string> {
  // Rules first (SARIF puts them in tool.driver before the results), from the listed findings.
  const rules = new Map<string, { index: number; entry: RuleEntry }>();
  let total = 0;
  for (const g of model.groups) {
    for (const f of g.findings) {
      if (total >= SARIF_MAX_RESULTS) break;
      total++;
      if (!rules.has(f.ruleId)) rules.set(f.ruleId, { index: rules.size, entry: ruleOf(checked(f)) });
    }
  }
  const truncated = model.matching - total;
  const notifications =
    truncated > 0
      ? [
          {
            level: 'warning',
            message: {
              text: `${truncated} of ${model.matching} results were left out: ${model.listed < model.matching ? 'the report was limited by maxFindings' : ''}${
                model.listed < model.matching && total >= SARIF_MAX_RESULTS ? ' and ' : ''
              }${total >= SARIF_MAX_RESULTS ? `GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} results per run` : ''}.`,
            },
          },
        ]
      : [];
  const driver = {
    name: 'fleetkit',
    fullName: 'fleetkit bot fleet',
    version: FLEETKIT_VERSION,
    semanticVersion: FLEETKIT_VERSION,
    informationUri: 'https://www.npmjs.com/package/@fleetkit/shared-context',
  };
  let head = `{"$schema":${JSON.stringify(SARIF_SCHEMA)},"version":"2.1.0","runs":[{"tool":{"driver":${JSON.stringify(driver).slice(0, -1)},"rules":[`;
  let first = true;
  for (const { entry } of rules.values()) {
    head += (first ? '' : ',') + ruleJson(entry);
    first = false;
  }
  head += `]}},"automationDetails":{"id":${JSON.stringify(`fleetkit/${wellFormed(model.repo.name)}/`)}},`;
  head += `"invocations":[{"executionSuccessful":true,"toolExecutionNotifications":${JSON.stringify(notifications)}}],`;
  head += `"originalUriBaseIds":{"%SRCROOT%":{"description":{"text":"The repository root"}}},`;
  head += `"properties":{"fleetkit/session":${JSON.stringify(model.session.id)},"fleetkit/healthScore":${model.health.score},"fleetkit/healthStatus":${JSON.stringify(model.health.status)}},"results":[`;
  yield head;
  let n = 0;
  let chunk = '';
  outer: for (const g of model.groups) {
    for (const f of g.findings) {
      if (n >= SARIF_MAX_RESULTS) break outer;
      chunk += (n === 0 ? '' : ',') + resultJson(model, f, (rules.get(f.ruleId) as { index: number }).index);
      n++;
      if (chunk.length > 65_536) {
        yield chunk;
        chunk = '';
      }
    }
  }
  yield `${chunk}]}]}`;
}
