/**
 * ESLint's JSON formatter output (`eslint -f json`): an array of file
 * results, each with `filePath` and `messages[]` (`severity` 1 = warning,
 * 2 = error; `ruleId` null for a fatal parse error).
 */
import type { JsonObject } from '../json-value.js';
import type { ReaderContext, ReaderOutput } from './record.js';
import { importMetadata, isRecord, normaliseFile, position, str } from './record.js';
import { describe } from './scanner-finding.js';
import { resolveSource } from './source-bot.js';

/** True for ESLint JSON: an array whose first element has `filePath` and a `messages` array. */
export function isEslintJson(value: unknown): value is unknown[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first: unknown = value[0];
  return isRecord(first) && typeof first.filePath === 'string' && Array.isArray(first.messages);
}

/** Reads ESLint JSON output. */
export function readEslint(files: readonly unknown[], ctx: ReaderContext): ReaderOutput {
  const out: ReaderOutput = { candidates: [], rejected: [] };
  files.forEach((file, f) => {
    if (!isRecord(file) || typeof file.filePath !== 'string' || !Array.isArray(file.messages)) {
      out.rejected.push({ path: [f], code: 'invalid_shape', reason: `expected a file result with "filePath" and "messages", got ${describe(file)}` });
      return;
    }
    const filePath = normaliseFile(file.filePath, ctx.rootDir);
    const envelope: JsonObject = { filePath: file.filePath };
    (file.messages as unknown[]).forEach((m, i) => {
      const path = [f, 'messages', i];
      if (!isRecord(m)) {
        out.rejected.push({ path, code: 'invalid_shape', reason: `expected a message object, got ${describe(m)}` });
        return;
      }
      if (m.severity !== 1 && m.severity !== 2) {
        out.rejected.push({ path: [...path, 'severity'], code: 'unknown_severity', reason: `ESLint severity must be 1 (warning) or 2 (error), got ${JSON.stringify(m.severity) ?? 'nothing'}` });
        return;
      }
      const fix = isRecord(m.fix);
      out.candidates.push({
        path,
        input: {
          source: resolveSource(['eslint'], ctx.source),
          ruleId: str(m.ruleId) ?? (m.fatal === true ? 'eslint/fatal' : 'eslint/unknown'),
          severity: m.severity === 2 ? 'error' : 'warning',
          message: typeof m.message === 'string' ? m.message : '',
          category: m.fatal === true ? 'parse-error' : '',
          file: filePath,
          line: position(m.line),
          column: position(m.column),
          suggestion: Array.isArray(m.suggestions) && isRecord(m.suggestions[0]) ? str(m.suggestions[0].desc) : undefined,
          fixable: fix,
          metadata: importMetadata('eslint', m.severity, m as JsonObject, envelope),
        },
      });
    });
  });
  return out;
}
