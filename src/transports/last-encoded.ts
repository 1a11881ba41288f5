/**
 * The last message a gateway encoded, kept for its next client. The bus hands one message to
 * every subscriber in turn, so a gateway's sends come in runs of the same message (a ball frame
 * to both players and each watcher): encoded once per run, not once per client. The payload is
 * the bus's own string, so within a run the comparison is by identity.
 */
export class LastEncoded<T> {
  private topic: string | null = null;
  private payload = '';
  private value: T | undefined;

  constructor(private readonly encode: (topic: string, payload: string) => T) {}

  of(topic: string, payload: string): T {
    if (this.topic === topic && this.payload === payload) return this.value as T;
    const value = this.encode(topic, payload);
    this.topic = topic;
    this.payload = payload;
    this.value = value;
    return value;
  }
}
