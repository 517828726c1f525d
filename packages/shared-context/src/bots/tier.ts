/** Tiers in execution order: a lower tier runs earlier. */
export const TIERS = ['engine', 'verifier', 'finisher', 'specialist', 'executor', 'custom'] as const;

/** The tier a bot belongs to. */
export type Tier = (typeof TIERS)[number];

const ORDER: Readonly<Record<Tier, number>> = { engine: 0, verifier: 1, finisher: 2, specialist: 3, executor: 4, custom: 5 };

/** Execution order of a tier: `engine` 0 … `custom` 5. */
export function tierOrder(tier: Tier): number {
  return ORDER[tier];
}

/** True for one of {@link TIERS}. */
export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && Object.hasOwn(ORDER, value);
}
