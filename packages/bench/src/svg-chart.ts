/** A small SVG line chart of benchmarks across saved baselines (history). */

export interface Series {
  readonly name: string;
  /** One value per baseline (ns), null where the benchmark was not measured. */
  readonly values: readonly (number | null)[];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Each series normalised to its first value (1.0 = first baseline), so different scales share one chart. */
export function historyChart(labels: readonly string[], series: readonly Series[]): string {
  const w = 720;
  const h = 320;
  const pad = { l: 50, r: 200, t: 20, b: 40 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const norm = series.map((s) => {
    const first = s.values.find((v) => v !== null) ?? 1;
    return { name: s.name, values: s.values.map((v) => (v === null ? null : v / (first as number))) };
  });
  const all = norm.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(1.2, ...all);
  const min = Math.min(0.8, ...all);
  const x = (i: number) => pad.l + (labels.length <= 1 ? pw / 2 : (i * pw) / (labels.length - 1));
  const y = (v: number) => pad.t + ph - ((v - min) / (max - min)) * ph;
  const colours = ['#0969da', '#cf222e', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a3069', '#953800'];
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="Benchmarks across baselines, relative to the first">`;
  svg += `<rect width="${w}" height="${h}" fill="white"/>`;
  svg += `<line x1="${pad.l}" y1="${y(1)}" x2="${pad.l + pw}" y2="${y(1)}" stroke="#999" stroke-dasharray="4"/>`;
  svg += `<text x="4" y="${y(1) + 4}" font-size="11">1.0×</text><text x="4" y="${y(max) + 10}" font-size="11">${max.toFixed(2)}×</text><text x="4" y="${y(min)}" font-size="11">${min.toFixed(2)}×</text>`;
  labels.forEach((l, i) => (svg += `<text x="${x(i)}" y="${h - 15}" font-size="10" text-anchor="middle">${esc(l.slice(0, 14))}</text>`));
  norm.slice(0, colours.length).forEach((s, k) => {
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter((p): p is string => p !== null);
    const c = colours[k] as string;
    if (pts.length > 1) svg += `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.join(' ')}"/>`;
    for (const p of pts) svg += `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${c}"/>`;
    svg += `<text x="${pad.l + pw + 10}" y="${pad.t + 14 * k + 10}" font-size="11" fill="${c}">${esc(s.name)}</text>`;
  });
  return `${svg}</svg>`;
}
