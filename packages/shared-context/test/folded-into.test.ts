/** foldedInto: whether a session was folded into a repository's history, so a retried completion folds it once. */
import { describe, expect, it } from 'vitest';
import { Context, REPO_HISTORY_LIMIT, foldedInto, updateRepoState } from '../src/index.js';
import type { RepoState } from '../src/index.js';

/** A completed session of repo `r`, completed at `t` (ms). */
function completedAt(id: string, t: number): Context {
  const clock = { t };
  const ctx = new Context('r', '/r', { sessionId: id, now: () => clock.t });
  ctx.completeSession();
  return ctx;
}

function historyOf(n: number, from: number): RepoState {
  let state: RepoState | undefined;
  for (let i = 0; i < n; i++) state = updateRepoState(state, completedAt(`s-${i}`, from + i * 1000));
  return state!;
}

describe('foldedInto', () => {
  it('is true for a session the history records, false for one it does not', () => {
    const state = historyOf(3, Date.UTC(2026, 11, 1));
    expect(foldedInto(state, completedAt('s-1', 0))).toBe(true);
    expect(foldedInto(state, completedAt('other', Date.UTC(2026, 11, 2)))).toBe(false);
  });

  it('takes a session older than the oldest record of a full history as folded and aged out', () => {
    const from = Date.UTC(2026, 11, 1);
    const state = historyOf(REPO_HISTORY_LIMIT + 5, from);
    expect(state.sessions).toHaveLength(REPO_HISTORY_LIMIT);
    expect(foldedInto(state, completedAt('aged-out', from))).toBe(true);
    // Completed after the oldest record: had it been folded, it would still be there.
    expect(foldedInto(state, completedAt('missing', from + 200 * 1000))).toBe(false);
    // Not full: nothing has aged out.
    expect(foldedInto(historyOf(5, from), completedAt('early', from - 1000))).toBe(false);
  });
});
