/**
 * WCAG 2.1 contrast arithmetic: relative luminance, contrast ratio, sRGB
 * `color-mix()` and alpha compositing, and a parser for the colour strings
 * Chromium's getComputedStyle returns (`rgb()`, `rgba()`, `color(srgb …)`)
 * and for `#rrggbb`.
 */

/** Channels 0–255 and alpha 0–1. */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

export function parseColor(text: string): Rgba {
  const s = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(s);
  if (hex !== null) return { r: parseInt(hex[1]!, 16), g: parseInt(hex[2]!, 16), b: parseInt(hex[3]!, 16), a: 1 };
  const fn = /^(rgba?|color)\((.*)\)$/.exec(s);
  if (fn !== null) {
    const [channels, alpha] = fn[2]!.replace(/^srgb\s+/, '').split('/');
    const parts = channels!.split(/[\s,]+/).filter((p) => p !== '');
    const a = alpha !== undefined ? Number(alpha) : parts.length === 4 ? Number(parts.pop()) : 1;
    const scale = fn[1] === 'color' ? 255 : 1; // color(srgb 0.5 0.5 0.5) has channels 0–1
    const [r, g, b] = parts.map((p) => Number(p) * scale);
    if (parts.length === 3 && [r, g, b, a].every((v) => Number.isFinite(v))) return { r: r!, g: g!, b: b!, a };
  }
  throw new Error(`unsupported colour ${JSON.stringify(text)}`);
}

/** `color-mix(in srgb, a p%, b)`: premultiplied interpolation, as CSS defines it (`transparent` is rgba(0,0,0,0)). */
export function mix(a: Rgba, percent: number, b: Rgba): Rgba {
  const p = percent / 100;
  const alpha = a.a * p + b.a * (1 - p);
  if (alpha === 0) return { r: 0, g: 0, b: 0, a: 0 };
  const ch = (x: number, y: number) => (x * a.a * p + y * b.a * (1 - p)) / alpha;
  return { r: ch(a.r, b.r), g: ch(a.g, b.g), b: ch(a.b, b.b), a: alpha };
}

export const TRANSPARENT: Rgba = { r: 0, g: 0, b: 0, a: 0 };

/** `top` painted over `bottom` (source-over). */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a + bottom.a * (1 - top.a);
  if (a === 0) return TRANSPARENT;
  const ch = (x: number, y: number) => (x * top.a + y * bottom.a * (1 - top.a)) / a;
  return { r: ch(top.r, bottom.r), g: ch(top.g, bottom.g), b: ch(top.b, bottom.b), a };
}

function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const x = Math.round(Math.min(255, Math.max(0, v))) / 255; // painted in 8 bits per channel
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** The WCAG contrast ratio (1–21) of two opaque colours, as painted (channels rounded to integers, like axe-core does). */
export function contrast(a: Rgba, b: Rgba): number {
  const x = luminance(a);
  const y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

export function toHex(c: Rgba): string {
  return `#${[c.r, c.g, c.b].map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('')}`;
}
