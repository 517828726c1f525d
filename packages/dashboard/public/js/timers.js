// Named timers on the page state: debounce (typing), coalesce (live refreshes) and cancelling them all.

import { state } from './state.js';

/** How long live changes are gathered before the findings page, charts and status are fetched again. */
export const REFRESH_MS = 400;

/** Runs `fn` after `ms`, restarting the wait on every call (typing). */
export function debounce(key, ms, fn) {
  clearTimeout(state.timers.get(key));
  state.timers.delete(key);
  coalesce(key, ms, fn);
}
/** Runs `fn` once within `ms` however often it is asked for (a stream of live changes never starves it). */
export function coalesce(key, ms, fn) {
  if (state.timers.has(key)) return;
  const timer = setTimeout(() => {
    state.timers.delete(key);
    fn();
  }, ms);
  state.timers.set(key, timer);
}
export function cancelTimers() {
  for (const t of state.timers.values()) clearTimeout(t);
  state.timers.clear();
}
