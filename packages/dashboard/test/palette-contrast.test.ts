/**
 * The page's palette (public/app.css custom properties, light and dark values
 * of each `light-dark()`) against WCAG 2.1 AA, pair by pair, without a
 * browser: every text colour on every background it is painted on (4.5:1),
 * and focus outlines, form-control borders and chart marks against theirs
 * (3:1, non-text contrast). Tint percentages are read from the same
 * stylesheet, so a change there is measured too. The browser test
 * (page-accessibility.test.ts) checks the rendered page with axe-core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrast, mix, over, parseColor, toHex, TRANSPARENT } from './support/contrast.js';
import type { Rgba } from './support/contrast.js';
import { STATUS_CLASSES } from './support/status-classes.js';

const css = readFileSync(join(import.meta.dirname, '..', 'public', 'app.css'), 'utf8');
const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

/** `--name: light-dark(#light, #dark)` → name → [light, dark]. */
const palette = new Map<string, [string, string]>();
for (const m of css.matchAll(/--([\w-]+):\s*light-dark\(\s*(#[0-9a-f]{6})\s*,\s*(#[0-9a-f]{6})\s*\)/gi)) palette.set(m[1]!, [m[2]!, m[3]!]);

/** `.class { --c: var(--name); }` → class → name (the badge, swatch and graph-node colour classes). */
const colourClasses = new Map<string, string>();
for (const m of css.matchAll(/^\.([\w-]+)\s*\{\s*--c:\s*var\(--([\w-]+)\);\s*\}/gm)) colourClasses.set(m[1]!, m[2]!);

/** The percentage of a `color-mix(in srgb, var(--…) N%, …)` in the rule whose selector is `selector`. */
function tint(selector: string): number {
  const start = css.indexOf(`${selector} {`);
  expect(start, `rule ${selector} in app.css`).toBeGreaterThanOrEqual(0);
  const rule = css.slice(start, css.indexOf('}', start));
  const m = /color-mix\(in srgb, var\(--[\w-]+(?:, var\(--[\w-]+\))?\) (\d+(?:\.\d+)?)%/.exec(rule);
  expect(m, `a color-mix() in ${selector}`).not.toBeNull();
  return Number(m![1]);
}

function colour(name: string, theme: Theme): Rgba {
  const v = palette.get(name);
  if (v === undefined) throw new Error(`--${name} is not a light-dark() custom property of app.css`);
  return parseColor(v[theme === 'light' ? 0 : 1]);
}

interface Pair {
  readonly what: string;
  readonly fg: Rgba;
  readonly bg: Rgba;
  readonly min: number;
}

/** Every text/background and mark/background pair the page paints, in one theme. */
function pairs(theme: Theme): Pair[] {
  const c = (name: string) => colour(name, theme);
  const on = (top: Rgba, below: Rgba) => over(top, below);
  const surface = c('surface');
  const containers: Record<string, Rgba> = {
    bg: c('bg'),
    surface,
    'surface-2 (cards, alerts, detail, hovered row)': c('surface-2'),
    'selected findings row': on(mix(c('accent'), tint('.findings-table tbody tr.selected'), TRANSPARENT), surface),
  };
  const out: Pair[] = [];
  const badgeTint = tint('.badge');
  const boxTint = tint('svg.graph .node-box');
  for (const [where, bg] of Object.entries(containers)) {
    out.push({ what: `text on ${where}`, fg: c('text'), bg, min: 4.5 });
    out.push({ what: `muted text on ${where}`, fg: c('muted'), bg, min: 4.5 });
    out.push({ what: `link (accent) on ${where}`, fg: c('accent'), bg, min: 4.5 });
    out.push({ what: `focus outline against ${where}`, fg: c('focus'), bg, min: 3 });
    // Inputs, selects and buttons sit on the page, panels, cards and the detail pane (never in a findings row).
    if (bg !== containers['selected findings row']) out.push({ what: `form control border against ${where}`, fg: c('control-border'), bg, min: 3 });
    for (const [cls, name] of colourClasses) {
      // A badge: text in its colour on its own tint over the container.
      out.push({ what: `.badge.${cls} (--${name}) on ${where}`, fg: c(name), bg: on(mix(c(name), badgeTint, TRANSPARENT), bg), min: 4.5 });
    }
  }
  for (const [cls, name] of colourClasses) {
    // A graph node: box filled with its colour mixed into the surface, name in text colour, status muted.
    const box = mix(c(name), boxTint, surface);
    out.push({ what: `node name on a .node.${cls} box`, fg: c('text'), bg: box, min: 4.5 });
    out.push({ what: `node status (muted) on a .node.${cls} box`, fg: c('muted'), bg: box, min: 4.5 });
    // Swatches, bars and node outlines in the status colour.
    out.push({ what: `.${cls} mark (--${name}) against surface`, fg: c(name), bg: surface, min: 3 });
  }
  out.push({ what: 'error banner text', fg: c('sev-error'), bg: mix(c('sev-error'), tint('.error-banner'), surface), min: 4.5 });
  out.push({ what: 'chart bar against surface', fg: c('bar'), bg: surface, min: 3 });
  out.push({ what: 'history bar against surface', fg: on(mix(c('bar'), tint('svg.chart .hist-findings'), TRANSPARENT), surface), bg: surface, min: 3 });
  out.push({ what: 'history error line against surface', fg: c('line'), bg: surface, min: 3 });
  return out;
}

describe('palette contrast (public/app.css)', () => {
  it('defines every colour in both themes and a colour class for every status the page shows', () => {
    for (const name of ['bg', 'surface', 'surface-2', 'text', 'muted', 'accent', 'focus', 'control-border', 'bar', 'line']) expect(palette.has(name), `--${name}`).toBe(true);
    const expected = [...STATUS_CLASSES];
    expect([...colourClasses.keys()].sort()).toEqual(expect.arrayContaining(expected.sort()));
    for (const name of colourClasses.values()) expect(palette.has(name), `--${name}`).toBe(true);
  });

  for (const theme of THEMES) {
    it(`meets WCAG 2.1 AA in the ${theme} theme (4.5:1 for text, 3:1 for focus, control borders and chart marks)`, () => {
      const all = pairs(theme);
      expect(all.length).toBeGreaterThan(100);
      const failing = all
        .map((p) => ({ ...p, ratio: contrast(p.fg, p.bg) }))
        .filter((p) => p.ratio < p.min)
        .map((p) => `${p.what}: ${p.ratio.toFixed(2)}:1 < ${p.min}:1 (${toHex(p.fg)} on ${toHex(p.bg)})`);
      expect(failing.join('\n')).toBe('');
    });
  }

  it('keeps each status colour recognisable: light and dark values differ, and equal statuses share a colour', () => {
    for (const [name, [light, dark]] of palette) expect(light, `--${name}`).not.toBe(dark);
    // One colour per meaning: a failed bot, an error finding and a critical health status are the same red.
    const same = (...names: string[]) => expect(new Set(names.map((n) => palette.get(n)!.join()))).toHaveProperty('size', 1);
    same('sev-error', 'st-failed', 'h-critical', 'line');
    same('sev-warning', 'st-skipped', 'h-degraded');
    same('st-completed', 'h-healthy');
    same('sev-info', 'st-running');
  });
});
