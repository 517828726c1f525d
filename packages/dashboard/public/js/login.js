// Sign-in when the dashboard's reads need a token: a dialog posts it in a JSON body (never in a URL);
// the answer sets an HttpOnly cookie that every later request, the live stream and report downloads carry.

import { $ } from './dom.js';

let pending;

/** Resolves once the page is signed in (one dialog for every request that met a 401). */
export function requireLogin() {
  pending ??= new Promise((resolve) => {
    const dialog = $('login');
    const form = $('login-form');
    const input = $('login-token');
    const error = $('login-error');
    error.hidden = true;
    const submit = async (e) => {
      e.preventDefault();
      const res = await fetch('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token: input.value }),
        credentials: 'same-origin',
      }).catch(() => undefined);
      if (res?.status === 204) {
        form.removeEventListener('submit', submit);
        input.value = '';
        dialog.close();
        pending = undefined;
        resolve();
        return;
      }
      error.textContent = res?.status === 401 ? 'That token does not read this dashboard.' : 'Could not sign in; try again.';
      error.hidden = false;
      input.select();
    };
    form.addEventListener('submit', submit);
    // Escape would leave the page without data; the dialog stays until signed in.
    dialog.addEventListener('cancel', (e) => e.preventDefault());
    dialog.showModal();
    input.focus();
  });
  return pending;
}
