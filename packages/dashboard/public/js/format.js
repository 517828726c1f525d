// Formatting for display: numbers, dates, durations, scores, plurals, truncation and finding locations.

export const numberFmt = new Intl.NumberFormat();
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const shortDateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
export const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
export const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function fmtDate(iso, format = dateTimeFmt) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : format.format(d);
}
export function fmtDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
/** The score as the page shows it: whole numbers as they are, others with one decimal. */
export const fmtScore = (score) => (Number.isInteger(score) ? String(score) : score.toFixed(1));
export const plural = (n, one, many = `${one}s`) => `${numberFmt.format(n)} ${n === 1 ? one : many}`;
export const truncate = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
export const where = (f) => (f.file === undefined ? '—' : `${f.file}${f.line === undefined ? '' : `:${f.line}`}${f.column === undefined ? '' : `:${f.column}`}`);
