/**
 * Reconnect delays: exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (half
 * fixed, half random) so clients dropped together by a server restart do not return in lockstep.
 * Pure, with the randomness injected, so tests can pin it.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 5_000 };

/** Delay before reconnect attempt number `attempt` (0 = the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
