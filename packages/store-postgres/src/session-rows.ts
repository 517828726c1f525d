/**
 * A session's row of `fleetkit_sessions` and the Context it stands for. The
 * library decodes and validates what is read (`Context.fromJSON`), so a
 * session from the database is checked exactly like one from a file.
 */
import { CONTEXT_SCHEMA_VERSION, Context } from '@fleetkit/shared-context';
import type { BotExecution, BotInfo, ContextOptions, FindingInput, JsonObject } from '@fleetkit/shared-context';

/** The columns of a session row read back. */
export const SESSION_COLUMNS = 'session_id, repo_name, repo_path, started_at, completed_at, bots, executions, data, last_seq, version';

/** A row of `fleetkit_sessions` as read. */
export interface SessionRow {
  readonly session_id: string;
  readonly repo_name: string;
  readonly repo_path: string;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly bots: readonly BotInfo[];
  readonly executions: readonly BotExecution[];
  readonly data: JsonObject;
  readonly last_seq: number;
  readonly version: number;
}

/** The Context of a session row and its findings (validated by the library; `source` names it in errors). */
export function contextOf(row: SessionRow, findings: readonly FindingInput[], options: ContextOptions | undefined, source: string): Context {
  return Context.fromJSON(
    {
      schemaVersion: CONTEXT_SCHEMA_VERSION,
      sessionId: row.session_id,
      repoName: row.repo_name,
      repoPath: row.repo_path,
      startedAt: row.started_at,
      completedAt: row.completed_at,
      bots: row.bots,
      executions: row.executions,
      findings,
      data: row.data,
    },
    { ...options, source },
  );
}

/** The session-level documents of a Context, as stored in its row (everything but the findings). */
export function sessionDocuments(ctx: Context): { bots: string; executions: string; data: string; completedAt: string | null } {
  const json = ctx.toJSON();
  return { bots: JSON.stringify(json.bots), executions: JSON.stringify(json.executions), data: JSON.stringify(json.data), completedAt: json.completedAt };
}
