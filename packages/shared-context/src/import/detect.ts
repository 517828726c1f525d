/** Which input shape a parsed JSON value is. Looks only at the top levels, never walks the value. */
import { isDispatchRecord } from './dispatch-record.js';
import { isEslintJson } from './eslint.js';
import { isFleetkitContext, isFleetkitFinding, isFleetkitReport } from './fleetkit.js';
import { isRdjson, isRdjsonDiagnostic } from './rdjson.js';
import { isSarif } from './sarif.js';
import { isScannerArray, isScannerSubmission, isScanReport } from './scanner-submission.js';
import type { ImportFormat } from './types.js';

/** The format of a parsed JSON value, or undefined when it is none of {@link ImportFormat}. */
export function detectFormat(value: unknown): ImportFormat | undefined {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isFleetkitFinding)) return 'fleetkit-findings';
    if (isEslintJson(value)) return 'eslint';
    if (isScannerArray(value)) return 'scanner-array';
    if (value.length > 0 && value.every(isRdjsonDiagnostic)) return 'rdjsonl';
    return undefined;
  }
  if (isSarif(value)) return 'sarif';
  if (isFleetkitContext(value)) return 'fleetkit-context';
  if (isFleetkitReport(value)) return 'fleetkit-report';
  if (isFleetkitFinding(value)) return 'fleetkit-finding';
  if (isScannerSubmission(value)) return 'scanner-submission';
  if (isScanReport(value)) return 'scan-report';
  if (isDispatchRecord(value)) return 'dispatch-record';
  if (isRdjson(value)) return 'rdjson';
  if (isRdjsonDiagnostic(value)) return 'rdjsonl';
  return undefined;
}
