/** The events a context emits to its subscribers. */
import type { BotId } from '../bots/roster.js';
import type { ExecutionStatus } from './execution.js';

/** What changed in a context; see `Context.subscribe`. */
export type ContextEvent =
  | { readonly type: 'bot-registered'; readonly bot: BotId }
  | { readonly type: 'bot-transition'; readonly bot: BotId; readonly from: ExecutionStatus; readonly to: ExecutionStatus }
  | { readonly type: 'findings-added'; readonly count: number }
  | { readonly type: 'finding-fixed'; readonly id: string }
  | { readonly type: 'data-set'; readonly key: string }
  | { readonly type: 'session-completed' }
  /** Bots, executions, shared data or completion were taken from a stored copy (`syncState`). */
  | { readonly type: 'state-synced' };
