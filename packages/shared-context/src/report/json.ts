/**
 * The JSON report: serialized with fast-json-stringify from the schema in
 * json-schema.ts, streamed group by group, and read back by `parseReport`.
 */
import fastJson from 'fast-json-stringify';
import { ValidationError } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import { findingFingerprint, isIsoDateTime, isIssuedFinding } from '../findings/finding.js';
import { isSeverity } from '../findings/severity.js';
import { parseWith } from '../validate.js';
import { wellFormed } from './escape.js';
import { REPORT_SCHEMA_VERSION, ReportJSONSchema, reportFindingJsonSchema, reportHeadJsonSchema } from './json-schema.js';
import type { ReportJSON } from './json-schema.js';
import type { ReportModel } from './model.js';
import { baselineStateOf, suppressionOf } from './model.js';
import { FLEETKIT_VERSION } from './version.js';

const stringifyHead = fastJson(reportHeadJsonSchema as unknown as Parameters<typeof fastJson>[0]);

// A report finding is written without copying the finding: spreading a
// finding into a new object with three more fields cost 10 µs a finding (the
// copy falls out of V8's fast object shapes), 25 times the serialisation.
//
// A finding of a set (a FindingRecord) is serialised as it is: its
// `fingerprint` is an accessor of the record. Fields the record validated when
// it was made and that cannot need escaping — its severity (one of four
// words), its ISO `createdAt`, the hex fingerprint — are written without the
// escape scan. Any other finding (a plain object from a custom SessionView),
// and any finding the report marks as suppressed or new, takes the slower path:
// its own fields serialised with every check, and the report's fields spliced
// in around them in the schema's order.
const { id: idSchema, fingerprint: fingerprintSchema, suppression: suppressionSchema, baselineState: baselineSchema, ...ownProperties } = reportFindingJsonSchema.properties;
const ownRequired = reportFindingJsonSchema.required.filter((k) => k !== 'id' && k !== 'fingerprint');
const VALIDATED_PLAIN = { type: 'string', format: 'unsafe' } as const;
const stringifyRecord = fastJson({
  type: 'object',
  properties: { id: idSchema, fingerprint: { ...fingerprintSchema, ...VALIDATED_PLAIN }, ...ownProperties, severity: VALIDATED_PLAIN, createdAt: VALIDATED_PLAIN },
  required: [...ownRequired, 'id', 'fingerprint'],
} as unknown as Parameters<typeof fastJson>[0]);
const stringifyOwn = fastJson({ type: 'object', properties: ownProperties, required: ownRequired } as unknown as Parameters<typeof fastJson>[0]);
const stringifyId = fastJson(idSchema as unknown as Parameters<typeof fastJson>[0]);
const stringifySuppression = fastJson(suppressionSchema as unknown as Parameters<typeof fastJson>[0]);
const stringifyBaselineState = fastJson(baselineSchema as unknown as Parameters<typeof fastJson>[0]);

// TypeScript's readonly does not stop `Object.assign(finding, …)`: the two
// fields written unescaped are checked again, with the checks the finding
// passed when it was made (cheap: a batch shares its timestamp), before they are.

// `{"id":…,"fingerprint":…,<the finding's other fields>[,"suppression":…][,"baselineState":…]}`
function findingJson(model: ReportModel, f: Finding): string {
  const suppression = suppressionOf(model, f);
  const state = baselineStateOf(model, f);
  if (suppression === undefined && state === undefined && isIssuedFinding(f) && isSeverity(f.severity) && isIsoDateTime(f.createdAt)) return stringifyRecord(f);
  const own = stringifyOwn(f);
  // A fingerprint is 32 hex characters: nothing to escape.
  let out = `{"id":${stringifyId(f.id)},"fingerprint":"${findingFingerprint(f)}",${own.slice(1, -1)}`;
  if (suppression !== undefined) out += `,"suppression":${stringifySuppression(suppression)}`;
  if (state !== undefined) out += `,"baselineState":${stringifyBaselineState(state)}`;
  return `${out}}`;
}

/** Renders a report model as JSON, chunk by chunk (the concatenation is one JSON document). */
export function* jsonChunks(model: ReportModel): Generator<string> {
  const head = stringifyHead({
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: 'fleetkit', version: FLEETKIT_VERSION },
    generatedAt: model.generatedAt,
    repo: model.repo,
    session: model.session,
    health: model.health,
    releaseBlocked: model.releaseBlocked,
    summary: model.summary,
    bots: model.bots,
    tiers: model.tiers,
    groupBy: model.groupBy,
    minSeverity: model.minSeverity,
    matching: model.matching,
    listed: model.listed,
  });
  // The head is an object; the groups are appended as its last member.
  yield `${head.slice(0, -1)},"groups":[`;
  let firstGroup = true;
  for (const g of model.groups) {
    let chunk = `${firstGroup ? '' : ','}{"key":${JSON.stringify(wellFormed(g.key))},"total":${g.findings.length + g.omitted},"omitted":${g.omitted},"findings":[`;
    firstGroup = false;
    for (let i = 0; i < g.findings.length; i++) {
      chunk += (i === 0 ? '' : ',') + findingJson(model, g.findings[i] as Finding);
      if (chunk.length > 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    yield `${chunk}]}`;
  }
  yield ']}';
}

/**
 * Reads a JSON report back (text or parsed value) and validates it against
 * the schema; throws a ValidationError naming each problem.
 */
export function parseReport(json: string | unknown): ReportJSON {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new ValidationError([{ code: 'invalid_json', path: [], message: `not valid JSON (${(err as Error).message})` }], 'parseReport', { cause: err });
    }
  }
  return parseWith(ReportJSONSchema, value, { source: 'parseReport' });
}
