/** The bookkeeping that lets a replica add its own appended findings without reading them back. */
import { describe, expect, it } from 'vitest';
import { OwnAppends } from '../src/own-appends.js';

describe('OwnAppends', () => {
  it('defers notices only while an own append of that session runs', () => {
    const own = new OwnAppends();
    expect(own.defer('s', 5)).toBe(false);
    own.begin('s');
    expect(own.defer('s', 5)).toBe(true);
    expect(own.defer('other', 9)).toBe(false);
    expect(own.end('s')).toBe(5);
    expect(own.defer('s', 7)).toBe(false);
  });

  it('hands what was announced to the last append to end, the highest number once', () => {
    const own = new OwnAppends();
    own.begin('s');
    own.begin('s');
    own.defer('s', 12);
    own.defer('s', 8);
    expect(own.end('s')).toBeUndefined();
    expect(own.end('s')).toBe(12);
    own.begin('s');
    expect(own.end('s')).toBeUndefined();
  });

  it('forgets an announcement once the session held covers it', () => {
    const own = new OwnAppends();
    own.begin('s');
    own.defer('s', 10);
    expect(own.announced('s', 4)).toBe(10);
    expect(own.announced('s', 10)).toBe(10);
    expect(own.announced('s', 10)).toBe(0);
    expect(own.end('s')).toBeUndefined();
  });
});
