// The light/dark theme: system preference, the saved choice and the toggle button.

import { $ } from './dom.js';
import { announce } from './notify.js';

const THEME_KEY = 'fleetkit-dashboard-theme';

function effectiveTheme() {
  const t = document.documentElement.getAttribute('data-theme');
  if (t === 'dark' || t === 'light') return t;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
function renderThemeButton() {
  $('theme-toggle').setAttribute('aria-pressed', String(effectiveTheme() === 'dark'));
}
export function initTheme() {
  let saved = null;
  try {
    saved = window.localStorage.getItem(THEME_KEY);
  } catch {
    // storage may be unavailable (private mode): the theme just is not remembered
  }
  if (saved === 'dark' || saved === 'light') document.documentElement.setAttribute('data-theme', saved);
  renderThemeButton();
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', renderThemeButton);
  $('theme-toggle').addEventListener('click', () => {
    const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.setAttribute('data-theme', next);
    try {
      window.localStorage.setItem(THEME_KEY, next);
    } catch {
      // not remembered
    }
    renderThemeButton();
    announce(`${next} theme`);
  });
}
