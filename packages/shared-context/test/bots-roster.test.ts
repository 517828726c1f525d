import { describe, expect, it } from 'vitest';
import { ROSTER_BOTS, STANDARD_BOTS, TIERS, botInfo, parseBotId, tierOrder } from '../src/index.js';

describe('roster', () => {
  it('registers-all list has the eleven standard bots in roster order, without oikosbot', () => {
    expect(STANDARD_BOTS).toEqual(['rhodibot', 'echidnabot', 'sustainabot', 'panicbot', 'glambot', 'seambot', 'finishbot', 'accessibilitybot', 'cipherbot', 'robot-repo-automaton', 'hypatia']);
  });

  it('knows every roster bot, including oikosbot, and nothing else', () => {
    expect(botInfo('oikosbot')).toMatchObject({ name: 'OikosBot', tier: 'verifier', canFix: false, dependsOn: [] });
    expect(botInfo('finishbot')).toMatchObject({ name: 'Finishing Bot', tier: 'finisher', canFix: true, dependsOn: ['rhodibot', 'glambot'] });
    expect(botInfo('panicbot')?.categories).toContain('static-analysis/panic-path');
    expect(botInfo('cipherbot')?.categories).toContain('crypto/pq-readiness');
    expect(botInfo('hypatia')?.tier).toBe('engine');
    expect(botInfo('my-bot')).toBeUndefined();
    expect(ROSTER_BOTS).toHaveLength(12);
  });

  it('matches the dependency table of the reference', () => {
    const deps = Object.fromEntries(ROSTER_BOTS.map((b) => [b.id, b.dependsOn]));
    expect(deps).toEqual({
      rhodibot: [], echidnabot: [], sustainabot: [], panicbot: ['rhodibot'], glambot: ['rhodibot'], seambot: ['rhodibot', 'echidnabot'],
      finishbot: ['rhodibot', 'glambot'], accessibilitybot: ['rhodibot', 'glambot'], cipherbot: ['rhodibot', 'echidnabot'],
      'robot-repo-automaton': [], hypatia: [], oikosbot: [],
    });
  });

  it('orders tiers engine → custom', () => {
    expect(TIERS.map(tierOrder)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.each([
    ['Rhodibot', 'rhodibot'], ['RHODIBOT', 'rhodibot'], ['finishingbot', 'finishbot'], ['Finishing-Bot', 'finishbot'], ['Finishing Bot', 'finishbot'],
    ['robotrepoautomaton', 'robot-repo-automaton'], ['Robot Repo Automaton', 'robot-repo-automaton'], ['cicd-hyper-a', 'hypatia'], ['CICDHyperA', 'hypatia'],
    ['accessibility-bot', 'accessibilitybot'], ['cipher-bot', 'cipherbot'], ['panic-bot', 'panicbot'], ['oikos-bot', 'oikosbot'], [' glambot ', 'glambot'],
  ])('parses %j as %s', (name, id) => {
    expect(parseBotId(name)).toBe(id);
  });

  it('returns undefined for names outside the roster', () => {
    expect(parseBotId('eslint')).toBeUndefined();
    expect(parseBotId('')).toBeUndefined();
  });
});
