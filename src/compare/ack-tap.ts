/**
 * Reads an observer's measurements off its own acks. The session takes a frame's receive time
 * as its very first step and acks {seq, timestamp, rx} at once; the ack is exactly what the
 * server measures round trip and clock offset from. Tapping the outgoing ack therefore adds
 * no timestamping of our own after the session's, and costs one array push per frame: the
 * JSON is parsed later, a few times a second, off the receive path.
 */
import type { TransportClient } from '../transports/transport.js';

export interface AckedFrame {
  seq: number;
  /** Server send time, on the server's clock. */
  timestamp: number;
  /** Receive time, on this client's clock. */
  rx: number;
}

export class AckTap {
  #raw: string[] = [];
  #frames = 0;

  constructor(private readonly ackTopic: string) {}

  /**
   * The same client, with every publish to the ack topic also recorded. A proxy rather than a
   * hand-written delegate, so whatever the TransportClient contract gains later still reaches
   * the real client.
   */
  wrap(inner: TransportClient): TransportClient {
    const ackTopic = this.ackTopic;
    const publish: TransportClient['publish'] = (topic, payload, options) => {
      inner.publish(topic, payload, options);
      if (topic !== ackTopic) return;
      this.#raw.push(payload);
      this.#frames += 1;
    };
    return new Proxy(inner, {
      get(target, key) {
        if (key === 'publish') return publish;
        // The target as receiver: clients keep state in private fields, which a proxy can't reach.
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** Frames acked since the tap was made. */
  get frames(): number {
    return this.#frames;
  }

  /** The frames acked since the last drain, oldest first. */
  drain(): AckedFrame[] {
    const raw = this.#raw;
    this.#raw = [];
    const out: AckedFrame[] = [];
    for (const text of raw) {
      const ack = parseAck(text);
      if (ack !== null) out.push(ack);
    }
    return out;
  }
}

function parseAck(text: string): AckedFrame | null {
  try {
    const value = JSON.parse(text) as Partial<AckedFrame>;
    const { seq, timestamp, rx } = value;
    if (typeof seq !== 'number' || typeof timestamp !== 'number' || typeof rx !== 'number') return null;
    return { seq, timestamp, rx };
  } catch {
    return null;
  }
}
