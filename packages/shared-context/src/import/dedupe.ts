/**
 * De-duplication on import: findings with the same fingerprint (source, rule,
 * file, line, normalised message — and the repository, when the input names
 * one) are one finding seen several times. The first one is kept and
 * `metadata.sightings` counts them all.
 */
import type { Finding } from '../findings/finding.js';
import { createFinding, findingFingerprint } from '../findings/finding.js';
import type { JsonObject } from '../json-value.js';

/** How many times a finding was seen: `metadata.sightings`, 1 when absent. */
export function sightingsOf(finding: Finding): number {
  const s = finding.metadata.sightings;
  return typeof s === 'number' && Number.isInteger(s) && s >= 1 ? s : 1;
}

/** The de-duplication key of a finding: its fingerprint with line, and the repository in `metadata.repo`, if any. */
export function dedupeKey(finding: Finding): string {
  const fp = findingFingerprint(finding, { includeLine: true });
  const repo = finding.metadata.repo;
  return typeof repo === 'string' ? `${fp}@${repo}` : fp;
}

/**
 * Merges findings with the same {@link dedupeKey}, in order; the kept finding's
 * `metadata.sightings` is the sum of the merged findings' sightings. Pure:
 * returns new findings, `findings` is not changed.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, { first: Finding; sightings: number }>();
  for (const f of findings) {
    const key = dedupeKey(f);
    const hit = byKey.get(key);
    if (hit === undefined) byKey.set(key, { first: f, sightings: sightingsOf(f) });
    else hit.sightings += sightingsOf(f);
  }
  const out: Finding[] = [];
  for (const { first, sightings } of byKey.values()) {
    // A finding seen once keeps no count (absent means 1): rebuilding it would cost a validation and its cached fingerprint.
    out.push(sightingsOf(first) === sightings ? first : withSightings(first, sightings));
  }
  return out;
}

function withSightings(f: Finding, sightings: number): Finding {
  const metadata: JsonObject = { ...f.metadata, sightings };
  return createFinding({
    id: f.id, source: f.source, ruleId: f.ruleId, ruleName: f.ruleName, severity: f.severity, message: f.message,
    category: f.category, file: f.file, line: f.line, column: f.column, element: f.element, suggestion: f.suggestion,
    fixable: f.fixable, fixed: f.fixed, createdAt: f.createdAt, related: [...f.related], metadata, recipeId: f.recipeId,
    confidence: f.confidence,
  });
}
