/**
 * The bots a new session is created with (`POST /api/sessions` `bots`): an
 * id, or an id with the library's bot info over the roster's (a runner's
 * custom bots, or roster bots with their tier or dependencies changed).
 */
import type { BotInfoInput, Context, Issue } from '@fleetkit/shared-context';
import { ValidationError } from '@fleetkit/shared-context';

/** An id with info; every field but `id` is optional and falls back to the roster's (or the custom defaults). */
export interface SessionBotSpec {
  /** The bot id. */
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly version?: string;
  readonly tier?: BotInfoInput['tier'];
  readonly categories?: readonly string[];
  readonly canFix?: boolean;
  /** Bots that must be done (completed or skipped) before this one starts. */
  readonly dependsOn?: readonly string[];
}

/** A bot to register: a roster id (its roster entry), a custom id (tier `custom`), or an id with info. */
export type SessionBotInput = string | SessionBotSpec;

/**
 * Registers `bots` in `ctx` with the library's validation, in their order.
 * Throws a ValidationError whose paths name the entry (`bots[2].tier`); an
 * id listed twice is one, as its second info would otherwise be dropped unseen.
 */
export function registerSessionBots(ctx: Context, bots: readonly SessionBotInput[]): void {
  const seen = new Set<string>();
  bots.forEach((bot, i) => {
    const id = typeof bot === 'string' ? bot : bot.id;
    const idPath = typeof bot === 'string' ? ['bots', i] : ['bots', i, 'id'];
    if (seen.has(id)) throw new ValidationError([{ code: 'duplicate', path: idPath, message: `bot "${id}" is listed twice` }], 'createSession');
    seen.add(id);
    try {
      ctx.registerBot(id, typeof bot === 'string' ? undefined : infoOf(bot));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The library names `id` and `info.<field>`; the request names the entry.
      const issues = err.issues.map((issue): Issue => ({ ...issue, path: issue.path[0] === 'info' ? ['bots', i, ...issue.path.slice(1)] : [...idPath, ...issue.path.slice(1)] }));
      throw new ValidationError(issues, 'createSession', { cause: err });
    }
  });
}

// An entry with nothing but its id is registered as the bare id would be (a roster bot keeps its roster entry).
function infoOf(spec: SessionBotSpec): BotInfoInput | undefined {
  const { id: _id, categories, dependsOn, ...rest } = spec;
  const info: BotInfoInput = { ...rest, ...(categories === undefined ? {} : { categories: [...categories] }), ...(dependsOn === undefined ? {} : { dependsOn: [...dependsOn] }) };
  return Object.keys(info).length === 0 ? undefined : info;
}
