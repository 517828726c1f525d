// The page state: the session shown and what is loaded about it, the filters, paging and live connection.

/** Everything about the session shown; reset when another session is opened. */
export function sessionState() {
  return {
    session: undefined, // GET /api/sessions/:id
    overview: { status: undefined, score: undefined, alerts: [], blocksRelease: undefined, total: undefined, fixed: undefined, bySeverity: undefined },
    completed: false,
    liveSeen: false, // once a live snapshot arrived, it is the source of health and counts
    snapshots: 0,
    liveVersion: -1,
    bots: [], // GET /bots (dependency order), statuses kept current by live events
    botsLoaded: false,
    botTotals: new Map(), // bot id → findings, for the per-bot chart
    categories: new Set(),
    history: undefined,
    cursor: undefined, // cursor of the page shown (undefined: the first page)
    cursorStack: [], // cursors of the pages before it (null: the first page)
    page: undefined, // { items, nextCursor, total }
    selectedId: undefined,
  };
}

export const state = {
  gen: 0, // bumped on every session switch: answers for an older session are dropped
  repos: [],
  sessionId: undefined,
  filters: {},
  limit: 50,
  pageSeq: 0,
  announceNext: undefined, // id of the text to announce once the next findings page is shown
  live: undefined, // the EventSource
  liveRetry: undefined,
  timers: new Map(),
  ...sessionState(),
};
