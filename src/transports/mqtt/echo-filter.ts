/**
 * No-local for brokers that speak only MQTT 3.1.1 (Aedes): the bridge remembers what it
 * published until the broker hands the same topic and payload back, and drops that copy.
 * Game payloads carry a seq or a timestamp, so two distinct messages are practically never
 * byte-identical; were they, the count per key keeps the total delivered right.
 */
/** Publishes remembered at most: at 60 Hz across 100 games, well over a second of them. */
export const ECHO_MEMORY = 16_384;

export class EchoFilter {
  private readonly pending = new Map<string, number>();
  private readonly order: string[] = [];

  constructor(private readonly limit = ECHO_MEMORY) {}

  sent(topic: string, payload: string): void {
    const key = keyOf(topic, payload);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    this.order.push(key);
    // An echo that never comes (the connection dropped first) must not be remembered forever.
    if (this.order.length > this.limit) this.forget(this.order.shift()!);
  }

  /** True, once per remembered publish, when the message is the broker returning it. */
  isEcho(topic: string, payload: Buffer): boolean {
    const key = keyOf(topic, payload.toString('utf8'));
    if (!this.pending.has(key)) return false;
    this.forget(key);
    return true;
  }

  get size(): number {
    return this.pending.size;
  }

  private forget(key: string): void {
    const count = this.pending.get(key) ?? 0;
    if (count <= 1) this.pending.delete(key);
    else this.pending.set(key, count - 1);
  }
}

function keyOf(topic: string, payload: string): string {
  return `${topic}\0${payload}`;
}
