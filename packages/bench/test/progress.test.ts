import { describe, expect, it } from 'vitest';
import type { ProgressStream } from '../src/progress.js';
import { interactive, progressLine, progressText } from '../src/progress.js';

function fakeStream(isTTY: boolean, columns?: number): ProgressStream & { out: string } {
  const s = { isTTY, columns, out: '', write: (chunk: string) => (s.out += chunk) };
  return s;
}

describe('progress line', () => {
  it('reads "benchmark k of n" with the name', () => {
    expect(progressText(3, 22, 'findings/add-single')).toBe('benchmark 3 of 22: findings/add-single');
    expect(progressText(3, 22, 'findings/add-single', 'unsure, measuring again')).toBe('benchmark 3 of 22: findings/add-single — unsure, measuring again');
  });

  it('redraws in place on a terminal: carriage return and clear line before each text', () => {
    const tty = fakeStream(true, 80);
    const line = progressLine(tty);
    line.show(1, 2, 'context/create');
    line.show(2, 2, 'queries/by-bot');
    line.clear();
    expect(tty.out).toBe('\r\x1b[2Kbenchmark 1 of 2: context/create\r\x1b[2Kbenchmark 2 of 2: queries/by-bot\r\x1b[2K');
    expect(tty.out).not.toContain('\n');
  });

  it('cuts a line wider than the terminal so it cannot wrap', () => {
    const tty = fakeStream(true, 20);
    progressLine(tty).show(10, 22, 'serialization/deserialize');
    const text = tty.out.replace('\r\x1b[2K', '');
    expect(text.length).toBeLessThanOrEqual(19);
    expect(text.endsWith('…')).toBe(true);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const pipe = fakeStream(false);
    const line = progressLine(pipe);
    line.show(1, 2, 'context/create');
    line.clear();
    expect(pipe.out).toBe('');
  });

  it('writes nothing when told the run is captured (stdout not a terminal), even on a terminal', () => {
    const stderr = fakeStream(true);
    const stdout = fakeStream(false);
    expect(interactive(stdout, stderr)).toBe(false);
    expect(interactive(fakeStream(true), stderr)).toBe(true);
    const line = progressLine(stderr, interactive(stdout, stderr));
    line.show(1, 2, 'context/create');
    expect(stderr.out).toBe('');
  });

  it('clears only what it drew', () => {
    const tty = fakeStream(true);
    progressLine(tty).clear();
    expect(tty.out).toBe('');
  });
});
