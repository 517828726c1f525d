/**
 * The JSON report: serialized with fast-json-stringify from the schema in
 * json-schema.ts, streamed group by group, and read back by `parseReport`.
 */
import { createRequire } from 'node:module';
import type fastJsonStringify from 'fast-json-stringify';
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
type Stringify = (value: unknown) => string;

/** The JSON report's serializers. */
interface Serializers {
  readonly head: Stringify;
  readonly record: Stringify;
  readonly own: Stringify;
  readonly id: Stringify;
  readonly suppression: Stringify;
  readonly baselineState: Stringify;
}

// Loaded and compiled on the first JSON report, not at import: fast-json-stringify
// and its six compiled serializers cost about 0.2 s of the start of every process
// that imports the library (`fleet run`, the dashboard), most of which never write one.
const requireCjs = createRequire(import.meta.url);
let compiled: Serializers | undefined;

function serializers(): Serializers {
  if (compiled !== undefined) return compiled;
  const fastJson = requireCjs('fast-json-stringify') as typeof fastJsonStringify;
  const build = (schema: unknown): Stringify => fastJson(schema as Parameters<typeof fastJson>[0]) as Stringify;
  const { id: idSchema, fingerprint: fingerprintSchema, suppression: suppressionSchema, baselineState: baselineSchema, ...ownProperties } = reportFindingJsonSchema.properties;
  const ownRequired = reportFindingJsonSchema.required.filter((k) => k !== 'id' && k !== 'fingerprint');
  const VALIDATED_PLAIN = { type: 'string', format: 'unsafe' } as const;
  compiled = {
    head: build(reportHeadJsonSchema),
    record: build({
      type: 'object',
      properties: { id: idSchema, fingerprint: { ...fingerprintSchema, ...VALIDATED_PLAIN }, ...ownProperties, severity: VALIDATED_PLAIN, createdAt: VALIDATED_PLAIN },
      required: [...ownRequired, 'id', 'fingerprint'],
    }),
    own: build({ type: 'object', properties: ownProperties, required: ownRequired }),
    id: build(idSchema),
    suppression: build(suppressionSchema),
    baselineState: build(baselineSchema),
  };
  return compiled;
}

// TypeScript's readonly does not stop `Object.assign(finding, …)`: the two
// fields written unescaped are checked again, with the checks the finding
// passed when it was made (cheap: a batch shares its timestamp), before they are.

// `{"id":…,"fingerprint":…,<the finding's other fields>[,"suppression":…][,"baselineState":…]}`
function findingJson(s: Serializers, model: ReportModel, f: Finding): string {
  const suppression = suppressionOf(model, f);
  const state = baselineStateOf(model, f);
  if (suppression === undefined && state === undefined && isIssuedFinding(f) && isSeverity(f.severity) && isIsoDateTime(f.createdAt)) return s.record(f);
  const own = s.own(f);
  // A fingerprint is 32 hex characters: nothing to escape.
  let out = `{"id":${s.id(f.id)},"fingerprint":"${findingFingerprint(f)}",${own.slice(1, -1)}`;
  if (suppression !== undefined) out += `,"suppression":${s.suppression(suppression)}`;
  if (state !== undefined) out += `,"baselineState":${s.baselineState(state)}`;
  return `${out}}`;
}

/** Renders a report model as JSON, chunk by chunk (the concatenation is one JSON document). */
export function* jsonChunks(model: ReportModel): Generator<string> {
  const s = serializers();
  const head = s.head({
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
      chunk += (i === 0 ? '' : ',') + findingJson(s, model, g.findings[i] as Finding);
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
