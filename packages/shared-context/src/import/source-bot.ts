/** Which bot a finding came from: a roster bot named by the input, the caller's choice, or a custom bot named after the tool. */
import type { BotId } from '../bots/roster.js';
import { parseBotId } from '../bots/roster.js';

/** Bot id used when neither the input nor the caller names a tool. */
export const UNKNOWN_TOOL: BotId = 'unknown-tool';

// Every record of an input names the same few tools: their answers are kept (bounded; a pure function of the name).
const rosterNames = new Map<string, BotId | null>();
const ROSTER_NAMES_MAX = 1024;

/** A roster bot for `name`, also when it carries a version (`hypatia-v2`, `rhodibot@1.2`). */
export function rosterBotOf(name: unknown): BotId | undefined {
  if (typeof name !== 'string' || name.trim().length === 0) return undefined;
  const known = rosterNames.get(name);
  if (known !== undefined) return known ?? undefined;
  const id = parseBotId(name) ?? parseBotId(name.replace(/[@\s]v?\d[\w.-]*$/i, '').replace(/-v?\d+(?:\.\d+)*$/i, ''));
  if (rosterNames.size >= ROSTER_NAMES_MAX) rosterNames.clear();
  rosterNames.set(name, id ?? null);
  return id;
}

/** A valid custom bot id made from a tool name: lower-case kebab-case, at most 64 characters. */
export function customBotId(tool: string): BotId {
  const id = tool.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return id.length === 0 ? UNKNOWN_TOOL : id;
}

/**
 * Resolves the source bot: the first candidate that names a roster bot, else
 * `fallback` (the caller's option), else a custom bot named after the first
 * candidate that is a non-empty string, else {@link UNKNOWN_TOOL}.
 */
export function resolveSource(candidates: readonly unknown[], fallback: BotId | undefined): BotId {
  for (const c of candidates) {
    const id = rosterBotOf(c);
    if (id !== undefined) return id;
  }
  if (fallback !== undefined) return fallback;
  for (const c of candidates) if (typeof c === 'string' && c.trim().length > 0) return customBotId(c);
  return UNKNOWN_TOOL;
}
