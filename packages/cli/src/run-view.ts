/**
 * What `fleet run` shows while the bots run. On a terminal: a live list of
 * the bots (pending, running with elapsed time, done, failed, skipped),
 * redrawn in place. Otherwise (CI logs, pipes): one line per bot event, so a
 * log reads as a timeline.
 */
import type { Writable } from 'node:stream';
import type { BotId } from '@fleetkit/shared-context';
import type { FleetPlan, RunEvent } from '@fleetkit/runner';
import { formatDuration } from '@fleetkit/runner';
import type { Io, Styles } from './output.js';
import { line, stylesFor } from './output.js';

/** Receives the run's events; `close` leaves the screen clean for the final table. */
export interface RunView {
  event(e: RunEvent): void;
  /** A line that is not about one bot (the run is being interrupted). */
  note(text: string): void;
  close(): void;
}

type State = { status: 'pending' } | { status: 'running'; since: number } | { status: 'completed' | 'failed' | 'skipped'; text: string };

const REDRAW_MS = 200;
const STDERR_LINES = 5;

/** The view for `io.stderr`: a live list on a terminal, lines elsewhere, nothing when quiet. */
export function createRunView(plan: FleetPlan, io: Io, options: { readonly quiet: boolean; readonly now?: () => number }): RunView {
  const now = options.now ?? (() => performance.now());
  if (options.quiet) return { event() {}, note() {}, close() {} };
  const st = stylesFor(io.stderr, io.env);
  return io.stderr.isTTY === true ? liveList(plan, io.stderr, st, now) : eventLines(io.stderr, st, now);
}

/** The summary of a completed bot: `12 findings (3 error, 9 warning)`. */
export function findingsText(findings: number, severities: Readonly<Record<string, number>>): string {
  const parts = Object.entries(severities).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  return `${findings} finding${findings === 1 ? '' : 's'}${parts.length === 0 ? '' : ` (${parts.join(', ')})`}`;
}

function eventLines(out: Writable, st: Styles, now: () => number): RunView {
  const t0 = now();
  const stamp = (): string => st.dim(`[${formatDuration(now() - t0).padStart(7)}]`);
  const say = (what: string, bot: BotId, text = ''): void => line(out, `${stamp()} ${what.padEnd(9)} ${bot}${text === '' ? '' : `  ${text}`}`);
  return {
    event(e) {
      switch (e.type) {
        case 'started':
          say('started', e.bot);
          break;
        case 'completed':
          say(st.green('done'), e.bot, `${findingsText(e.findings, e.severities)} in ${formatDuration(e.durationMs)}`);
          break;
        case 'failed':
          say(e.allowFailure ? st.yellow('failed') : st.red('failed'), e.bot, `${e.reason}${e.allowFailure ? ' (failure allowed)' : ''}`);
          for (const l of e.stderrTail.split('\n').slice(-STDERR_LINES)) if (l.trim() !== '') line(out, `           ${st.dim(`│ ${l}`)}`);
          break;
        case 'skipped':
          say(st.yellow('skipped'), e.bot, e.reason);
          break;
        case 'warning':
          say(st.yellow('warning'), e.bot, e.message);
          break;
      }
    },
    note(text) {
      line(out, `${stamp()} ${text}`);
    },
    close() {},
  };
}

function liveList(plan: FleetPlan, out: Writable, st: Styles, now: () => number): RunView {
  const states = new Map<BotId, State>(plan.bots.map((b) => [b.id, { status: 'pending' }]));
  const width = Math.max(...plan.bots.map((b) => b.id.length));
  const notes: string[] = [];
  let drawn = 0;
  const rows = (): string[] => {
    const max = Math.max(5, ((out as { rows?: number }).rows || 40) - 4);
    const all = [...states].map(([id, s]) => row(id, s));
    if (all.length <= max) return all;
    // Too many to show: the running ones, and a count of the rest by status.
    const running = [...states].filter(([, s]) => s.status === 'running').map(([id, s]) => row(id, s));
    const counts = new Map<string, number>();
    for (const s of states.values()) if (s.status !== 'running') counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    return [...running.slice(0, max - 1), st.dim(`  … ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`)];
  };
  const row = (id: BotId, s: State): string => {
    const name = id.padEnd(width);
    switch (s.status) {
      case 'pending':
        return st.dim(`  ○ ${name}  pending`);
      case 'running':
        return `  ${st.bold('●')} ${name}  running ${formatDuration(now() - s.since)}`;
      case 'completed':
        return `  ${st.green('✔')} ${name}  ${s.text}`;
      case 'failed':
        return `  ${st.red('✖')} ${name}  ${st.red(s.text)}`;
      case 'skipped':
        return `  ${st.yellow('−')} ${name}  ${st.yellow(s.text)}`;
    }
  };
  const draw = (): void => {
    let text = drawn > 0 ? `\u001b[${drawn}A\u001b[0J` : '';
    for (const n of notes.splice(0)) text += `${n}\n`;
    const lines = rows();
    text += `${lines.join('\n')}\n`;
    drawn = lines.length;
    out.write(text);
  };
  const timer = setInterval(draw, REDRAW_MS);
  timer.unref();
  draw();
  return {
    event(e) {
      if (e.type === 'started') states.set(e.bot, { status: 'running', since: now() });
      else if (e.type === 'completed') states.set(e.bot, { status: 'completed', text: `done in ${formatDuration(e.durationMs)}: ${findingsText(e.findings, e.severities)}` });
      else if (e.type === 'failed') states.set(e.bot, { status: 'failed', text: `failed after ${formatDuration(e.durationMs)}: ${e.reason.split('\n')[0] ?? ''}` });
      else if (e.type === 'skipped') states.set(e.bot, { status: 'skipped', text: `skipped: ${e.reason}` });
      else notes.push(st.yellow(`warning: ${e.bot}: ${e.message}`));
      draw();
    },
    note(text) {
      notes.push(text);
      draw();
    },
    close() {
      clearInterval(timer);
      // The list stays on screen as the run's record; the final table follows below it.
      draw();
    },
  };
}
