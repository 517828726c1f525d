/** The standard bot roster, bot ids and bot-name parsing. */
import type { Tier } from './tier.js';

/** A bot id: lower-case kebab-case for the roster, any non-empty string for custom bots. */
export type BotId = string;

/** What the fleet knows about a bot. */
export interface BotInfo {
  /** Stable id, e.g. `rhodibot`. */
  readonly id: BotId;
  /** Display name, e.g. `Rhodibot`. */
  readonly name: string;
  /** One sentence on what the bot does. */
  readonly description: string;
  /** Version of the bot's info record. */
  readonly version: string;
  /** The tier the bot runs in. */
  readonly tier: Tier;
  /** Finding categories the bot produces. */
  readonly categories: readonly string[];
  /** Whether the bot can fix what it finds. */
  readonly canFix: boolean;
  /** Bots that must be done (completed or skipped) before this one is ready. */
  readonly dependsOn: readonly BotId[];
}

const prefixed = (prefix: string, names: readonly string[]): string[] => names.map((n) => `${prefix}/${n}`);

function bot(
  id: string,
  name: string,
  tier: Tier,
  canFix: boolean,
  dependsOn: readonly string[],
  categories: readonly string[],
  description: string,
): BotInfo {
  return Object.freeze({
    id,
    name,
    description,
    version: '1.0.0',
    tier,
    categories: Object.freeze([...categories]),
    canFix,
    dependsOn: Object.freeze([...dependsOn]),
  });
}

const ROSTER: readonly BotInfo[] = Object.freeze([
  bot('rhodibot', 'Rhodibot', 'verifier', true, [], ['structure', 'files', 'layout', 'panel/structure', 'panel/naming', 'panel/spdx'],
    'Checks repository structure, required files and layout.'),
  bot('echidnabot', 'Echidnabot', 'verifier', false, [],
    ['verification', 'fuzzing', 'proofs', 'proof-verification', 'solver-integrity', 'trust-bridge', 'axiom-tracking', 'panel/cmd-match', 'panel/typell', 'panel/boj-routing'],
    'Verifies proofs, fuzzing set-ups and solver integrity.'),
  bot('sustainabot', 'Sustainabot', 'verifier', false, [], ['sustainability', 'efficiency', 'debt'],
    'Reports sustainability, efficiency and technical debt.'),
  bot('panicbot', 'Panicbot', 'verifier', false, ['rhodibot'],
    prefixed('static-analysis', ['unsafe-code', 'panic-path', 'command-injection', 'hardcoded-secret', 'unsafe-ffi', 'unsafe-deser', 'race-condition', 'resource-leak', 'unchecked-error', 'path-traversal']),
    'Static analysis for panics, unsafe code and injection risks.'),
  bot('glambot', 'Glambot', 'finisher', true, ['rhodibot'],
    ['accessibility', 'seo', 'html', 'docs', 'panel/aria', 'panel/keyboard', 'panel/clade', 'panel/docs'],
    'Polishes documentation, HTML, SEO and accessibility.'),
  bot('seambot', 'Seambot', 'finisher', false, ['rhodibot', 'echidnabot'],
    ['seam-analysis', 'drift-detection', 'hidden-channels', 'forge-integration', 'integration', 'api', 'contracts', 'panel/wiring', 'panel/msg-match', 'panel/seam-integrity'],
    'Analyses seams, contracts and drift between components.'),
  bot('finishbot', 'Finishing Bot', 'finisher', true, ['rhodibot', 'glambot'],
    [...prefixed('completeness', ['license', 'placeholder', 'claims', 'release', 'scm', 'testing', 'tooling', 'v1-readiness']),
      'panel/tests', 'panel/clade-registered', 'panel/todos', 'panel/directives', 'panel/release-gate'],
    'Checks release readiness: licences, placeholders, tests and tooling.'),
  bot('accessibilitybot', 'Accessibilitybot', 'finisher', true, ['rhodibot', 'glambot'],
    prefixed('accessibility', ['wcag-a', 'wcag-aa', 'wcag-aaa', 'aria', 'css']),
    'Checks WCAG conformance, ARIA and CSS accessibility.'),
  bot('cipherbot', 'Cipherbot', 'specialist', true, ['rhodibot', 'echidnabot'],
    prefixed('crypto', ['hashing', 'symmetric', 'key-exchange', 'signatures', 'password', 'pq-readiness']),
    'Reviews cryptography: hashing, ciphers, signatures and post-quantum readiness.'),
  bot('robot-repo-automaton', 'Robot Repo Automaton', 'executor', true, [], ['security', 'workflow', 'structure'],
    'Applies fixes and repository automation.'),
  bot('hypatia', 'Hypatia', 'engine', false, [], ['rules', 'learning', 'coordination'],
    'The rules engine that coordinates the fleet and learns from its results.'),
  bot('oikosbot', 'OikosBot', 'verifier', false, [], ['sustainability', 'ecological', 'economic'],
    'External ecological and economic sustainability checks (never dispatched by the fleet).'),
]);

const BY_ID: ReadonlyMap<string, BotInfo> = new Map(ROSTER.map((b) => [b.id, b]));
// Reports and ready-bot lists sort by roster position in their comparators: a lookup, not a scan per comparison.
const INDEX: ReadonlyMap<string, number> = new Map(ROSTER.map((b, i) => [b.id, i]));

/** The eleven bots that "register all" registers, in roster order (all but `oikosbot`). */
export const STANDARD_BOTS: readonly BotId[] = Object.freeze(ROSTER.filter((b) => b.id !== 'oikosbot').map((b) => b.id));

/** Every roster entry, including `oikosbot`, in roster order. */
export const ROSTER_BOTS: readonly BotInfo[] = ROSTER;

/** The roster entry of a bot, or undefined for a bot outside the roster. */
export function botInfo(id: BotId): BotInfo | undefined {
  return BY_ID.get(id);
}

/** Roster position (0-based) of a bot; custom bots sort after every roster bot. */
export function rosterIndex(id: BotId): number {
  return INDEX.get(id) ?? ROSTER.length;
}

const ALIASES: ReadonlyMap<string, BotId> = new Map([
  ['finishingbot', 'finishbot'],
  ['finishing-bot', 'finishbot'],
  ['finish-bot', 'finishbot'],
  ['robotrepoautomaton', 'robot-repo-automaton'],
  ['cicd-hyper-a', 'hypatia'],
  ['cicdhypera', 'hypatia'],
  ['accessibility-bot', 'accessibilitybot'],
  ['cipher-bot', 'cipherbot'],
  ['panic-bot', 'panicbot'],
  ['oikos-bot', 'oikosbot'],
  ['rhodi-bot', 'rhodibot'],
  ['echidna-bot', 'echidnabot'],
  ['sustaina-bot', 'sustainabot'],
  ['glam-bot', 'glambot'],
  ['seam-bot', 'seambot'],
]);

/**
 * Parses a bot name as written by people and tools: case-insensitive, with the
 * fleet's accepted aliases (`Finishing-Bot` → `finishbot`, `cicd-hyper-a` →
 * `hypatia`, …). Returns undefined for a name that is not a roster bot.
 */
export function parseBotId(name: string): BotId | undefined {
  const key = name.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (BY_ID.has(key)) return key;
  return ALIASES.get(key) ?? ALIASES.get(key.replaceAll('-', ''));
}
