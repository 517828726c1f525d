/**
 * SARIF 2.1.0: `runs[].results[]`. Level → severity (falling back to the
 * rule's default level, then SARIF's default `warning`), rule id, message
 * (text, or the rule's message string with its arguments), the first
 * physical location; `partialFingerprints` and the result are kept in metadata.
 */
import type { PathSegment } from '../issue.js';
import type { JsonObject } from '../json-value.js';
import type { Candidate, ReaderContext, ReaderOutput } from './record.js';
import { importMetadata, isRecord, normaliseFile, position, str, unknownSeverity } from './record.js';
import { describe } from './scanner-finding.js';
import { mapSeverity } from './severity-map.js';
import { resolveSource, rosterBotOf } from './source-bot.js';
import { isoOrUndefined } from './dispatch-record.js';
import type { RejectedItem } from './types.js';

/** True for a SARIF log: a `runs` key and a 2.x `version` or a SARIF `$schema`. */
export function isSarif(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value) || !('runs' in value)) return false;
  const schema = typeof value.$schema === 'string' && /sarif/i.test(value.$schema);
  return schema || (typeof value.version === 'string' && value.version.startsWith('2.'));
}

const LEVELS = ['error', 'warning', 'note', 'none'];

/** Reads a SARIF log. */
export function readSarif(log: Record<string, unknown>, ctx: ReaderContext): ReaderOutput {
  const out: ReaderOutput = { candidates: [], rejected: [] };
  if (!Array.isArray(log.runs)) {
    out.rejected.push({ path: ['runs'], code: 'invalid_shape', reason: `"runs" must be an array, got ${describe(log.runs)}` });
    return out;
  }
  log.runs.forEach((run: unknown, r) => {
    if (!isRecord(run)) {
      out.rejected.push({ path: ['runs', r], code: 'invalid_shape', reason: `a run must be an object, got ${describe(run)}` });
      return;
    }
    if (run.results === undefined || run.results === null) return;
    if (!Array.isArray(run.results)) {
      out.rejected.push({ path: ['runs', r, 'results'], code: 'invalid_shape', reason: `"results" must be an array, got ${describe(run.results)}` });
      return;
    }
    const driver = isRecord(run.tool) && isRecord(run.tool.driver) ? run.tool.driver : {};
    const rules = Array.isArray(driver.rules) ? (driver.rules as unknown[]) : [];
    const envelope: JsonObject = { tool: { name: driver.name ?? null, version: driver.version ?? driver.semanticVersion ?? null } as JsonObject };
    run.results.forEach((result: unknown, i) => {
      const path = ['runs', r, 'results', i];
      const c = readResult(result, path, driver.name, rules, envelope, ctx);
      if ('input' in c) out.candidates.push(c);
      else out.rejected.push(c);
    });
  });
  return out;
}

function readResult(
  result: unknown,
  path: PathSegment[],
  toolName: unknown,
  rules: readonly unknown[],
  envelope: JsonObject,
  ctx: ReaderContext,
): Candidate | RejectedItem {
  if (!isRecord(result)) return { path, code: 'invalid_shape', reason: `a result must be an object, got ${describe(result)}` };
  const rule = findRule(result, rules);
  const ruleId = str(result.ruleId) ?? (isRecord(result.rule) ? str(result.rule.id) : undefined) ?? str(rule?.id);
  if (ruleId === undefined) return { path, code: 'invalid_finding', reason: 'the result names no rule ("ruleId", "rule.id" or "ruleIndex")' };
  const defaultLevel = isRecord(rule?.defaultConfiguration) ? rule.defaultConfiguration.level : undefined;
  const level = result.level ?? defaultLevel ?? 'warning';
  if (typeof level !== 'string' || !LEVELS.includes(level)) return unknownSeverity(path, level, LEVELS, 'level');
  const props = isRecord(result.properties) ? result.properties : {};
  // A fleetkit-written log keeps the exact severity (SARIF has no `suggestion`) and the source bot in properties.
  const severity = mapSeverity(props.severity) ?? mapSeverity(level) ?? 'warning';
  const message = messageText(result.message, rule);
  if (message === undefined) return { path: [...path, 'message'], code: 'invalid_finding', reason: 'the result has no message text' };
  const phys = firstPhysicalLocation(result);
  const region = isRecord(phys?.region) ? phys.region : {};
  const artifact = isRecord(phys?.artifactLocation) ? phys.artifactLocation : {};
  const metadata = importMetadata('sarif', level, result as JsonObject, envelope);
  if (isRecord(result.partialFingerprints)) metadata.partialFingerprints = result.partialFingerprints as JsonObject;
  return {
    path,
    input: {
      // fleetkit's own SARIF names the exact bot of each result; other tools name themselves.
      source: toolName === 'fleetkit' && str(props.bot) !== undefined ? (rosterBotOf(props.bot) ?? (props.bot as string)) : resolveSource([props.source, props.bot, toolName], ctx.source),
      ruleId,
      ruleName: str(props.ruleName) ?? str(rule?.name) ?? ruleId,
      severity,
      message,
      category: str(props.category) ?? '',
      file: normaliseFile(decodeUri(str(artifact.uri)), ctx.rootDir),
      // fleetkit places file-level results at line 1 and marks them `lineKnown: false`.
      line: toolName === 'fleetkit' && props.lineKnown === false ? undefined : position(region.startLine),
      column: position(region.startColumn),
      suggestion: str(props.suggestion),
      fixable: typeof props.fixable === 'boolean' ? props.fixable : Array.isArray(result.fixes) && result.fixes.length > 0 ? true : undefined,
      fixed: typeof props.fixed === 'boolean' ? props.fixed : undefined,
      createdAt: isoOrUndefined(props.createdAt),
      metadata,
    },
  };
}

function findRule(result: Record<string, unknown>, rules: readonly unknown[]): Record<string, unknown> | undefined {
  const index = typeof result.ruleIndex === 'number' ? result.ruleIndex : isRecord(result.rule) && typeof result.rule.index === 'number' ? result.rule.index : undefined;
  const byIndex = index === undefined ? undefined : rules[index];
  if (isRecord(byIndex)) return byIndex;
  const id = str(result.ruleId);
  const byId = id === undefined ? undefined : rules.find((r) => isRecord(r) && r.id === id);
  return isRecord(byId) ? byId : undefined;
}

function messageText(message: unknown, rule: Record<string, unknown> | undefined): string | undefined {
  if (!isRecord(message)) return undefined;
  const direct = str(message.text) ?? str(message.markdown);
  if (direct !== undefined) return direct;
  const strings = isRecord(rule?.messageStrings) ? rule.messageStrings : {};
  const id = str(message.id);
  const entry = id === undefined ? undefined : strings[id];
  const template = isRecord(entry) ? str(entry.text) : undefined;
  if (template === undefined) return undefined;
  const args = Array.isArray(message.arguments) ? message.arguments : [];
  return template.replace(/\{(\d+)\}/g, (m, n: string) => (typeof args[Number(n)] === 'string' ? (args[Number(n)] as string) : m));
}

function firstPhysicalLocation(result: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!Array.isArray(result.locations)) return undefined;
  for (const loc of result.locations as unknown[]) if (isRecord(loc) && isRecord(loc.physicalLocation)) return loc.physicalLocation;
  return undefined;
}

/** A SARIF URI reference as a path: percent-decoded (`file://` URIs are handled later); kept as written when malformed. */
function decodeUri(uri: string | undefined): string | undefined {
  if (uri === undefined || uri.startsWith('file://')) return uri;
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
