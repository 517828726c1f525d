/**
 * The session at a glance, from the executions and the counts the finding
 * set (or a tally standing for it) keeps: one pass over the bots, none over the findings.
 */
import type { BotExecution } from './execution.js';
import type { ContextSummary, FindingCounts } from './session-view.js';

/** The {@link ContextSummary} of a session with these executions and findings. */
export function summarize(
  sessionId: string,
  repoName: string,
  durationMs: number | null,
  executions: Iterable<BotExecution>,
  findings: FindingCounts,
): ContextSummary {
  let botsRun = 0;
  let botsFailed = 0;
  let files = 0;
  for (const e of executions) {
    if (e.status === 'completed') {
      botsRun++;
      files += e.filesAnalyzed;
    } else if (e.status === 'failed') botsFailed++;
  }
  const counts = findings.countBySeverity();
  return {
    sessionId,
    repoName,
    durationMs,
    botsRun,
    botsFailed,
    totalFindings: findings.size,
    totalErrors: counts.error,
    totalWarnings: counts.warning,
    totalFilesAnalyzed: files,
    blocksRelease: findings.blocksRelease(),
  };
}
