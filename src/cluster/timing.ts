/**
 * The cluster's clock, in one place. A lease lasts LEASE_MS; its owner renews it every
 * TICK_MS and stops its rooms once SAFETY_MS short of the lease's end counted from the last
 * renewal it sent (Redis counts from when it received it, later): so an owner cut off from
 * Redis has stopped before the lease can pass. Survivors look for games without a lease every
 * TICK_MS: a killed owner's games are taken within LEASE_MS + TICK_MS (under the 3 s promised).
 */
export const LEASE_MS = 2000;
export const TICK_MS = 250;
export const SAFETY_MS = 400;
/** A node's heartbeat outlives a few missed ticks, no more. */
export const NODE_TTL_MS = 2500;

/**
 * Frames a deposed owner may have sent after its last renewal (or since it took the game, if
 * it never renewed): at most the lease's length at its rate, doubled for catch-up ticks. The
 * next owner numbers on past them, so no frame seq is ever published by two owners.
 */
export function seqMargin(fps: number): number {
  return Math.ceil((LEASE_MS / 1000) * fps * 2) + 1;
}
