// The live-updates indicator in the top bar (#live), announced when the connection changes.

import { $ } from './dom.js';
import { announce } from './notify.js';

const LIVE_TEXT = { idle: 'Not connected', connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline, retrying', deleted: 'Session deleted' };

export function setLive(mode) {
  const el = $('live');
  const before = el.getAttribute('data-state');
  el.setAttribute('data-state', mode);
  $('live-text').textContent = LIVE_TEXT[mode];
  if (before !== mode && (mode === 'live' || mode === 'reconnecting' || mode === 'offline' || mode === 'deleted') && !(before === 'connecting' && mode === 'live')) {
    announce(mode === 'live' ? 'Live updates reconnected' : `Live updates: ${LIVE_TEXT[mode]}`);
  }
}
