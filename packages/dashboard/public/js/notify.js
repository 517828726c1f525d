// Messages to the user: screen-reader announcements (#announcer) and the error banner (#error).

import { $ } from './dom.js';

let pendingAnnouncements = [];
/** Says something to screen readers (the aria-live region); messages close together are read as one. */
export function announce(message) {
  pendingAnnouncements.push(message);
  if (pendingAnnouncements.length > 1) return;
  setTimeout(() => {
    $('announcer').textContent = pendingAnnouncements.join('. ');
    pendingAnnouncements = [];
  }, 150);
}

export function showError(err) {
  const el = $('error');
  el.textContent = err instanceof Error ? err.message : String(err);
  el.hidden = false;
}
export function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}
