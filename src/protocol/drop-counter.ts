/**
 * Refused input, counted by what and why: `kind:reason` for the room and the session
 * (`paddle:bad-token`, the shape of StatsMessage.dropped), or a gateway's plain reason
 * (`rate-limit`, the shape of pong/server/stats' droppedBy). Keys are bounded, so a flood of odd
 * kinds cannot grow memory: past the bound, or for a key that is not a counter name, the count
 * goes to `other:<reason>`.
 */
import { COUNTER_KEY_PATTERN } from './fields.js';

/** Beyond this many distinct keys, further ones are pooled. */
const MAX_COUNTER_KEYS = 128;

export class DropCounter {
  readonly #counts = new Map<string, number>();
  #total = 0;

  /** One refusal: `record('rate-limit')`, or `record('paddle', 'bad-token')`. */
  record(kindOrReason: string, reason?: string): void {
    let key = reason === undefined ? kindOrReason : `${kindOrReason}:${reason}`;
    if (!this.#counts.has(key) && (!COUNTER_KEY_PATTERN.test(key) || this.#counts.size >= MAX_COUNTER_KEYS)) {
      key = `other:${reason ?? 'refused'}`;
    }
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#total += 1;
  }

  get total(): number {
    return this.#total;
  }

  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  reset(): void {
    this.#counts.clear();
    this.#total = 0;
  }
}
