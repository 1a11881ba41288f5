/**
 * The topic table of a relay that speaks pong's text framing over a message channel (a
 * WebSocket, a data channel): `sub <topic>` subscribes, `pub <topic>\n<payload>` publishes,
 * and subscribers get `msg <topic>\n<payload>`. Exact topics only: a bare relay needs no
 * wildcards.
 */
import { isAckTopic, type AckSink } from './relay.js';

export class FramedTopics<Peer> {
  readonly #subscribers = new Map<string, Set<Peer>>();
  readonly #topicsOf = new Map<Peer, Set<string>>();

  constructor(private readonly onAck: AckSink) {}

  /** One message from `peer`: a subscription, or an ack for the sink. */
  receive(peer: Peer, text: string): void {
    const newline = text.indexOf('\n');
    const header = newline === -1 ? text : text.slice(0, newline);
    const tokens = header.split(' ');
    // `<command> <topic>`, or `pub <topic> <flags>` as pong's clients write it; nothing else.
    if (tokens.length < 2 || tokens.length > 3 || tokens.some((token) => token.length === 0)) return;
    const [command, topic] = tokens as [string, string];
    if (command === 'sub' && tokens.length === 2 && newline === -1) {
      let set = this.#subscribers.get(topic);
      if (set === undefined) this.#subscribers.set(topic, (set = new Set()));
      set.add(peer);
      let mine = this.#topicsOf.get(peer);
      if (mine === undefined) this.#topicsOf.set(peer, (mine = new Set()));
      mine.add(topic);
    } else if (command === 'pub' && newline !== -1 && isAckTopic(topic)) {
      this.onAck(topic, text.slice(newline + 1));
    }
  }

  drop(peer: Peer): void {
    for (const topic of this.#topicsOf.get(peer) ?? []) this.#subscribers.get(topic)?.delete(peer);
    this.#topicsOf.delete(peer);
  }

  /** Writes the frame once and hands it to `send` for every subscriber of `topic`. */
  publish(topic: string, payload: string, send: (peer: Peer, frame: string) => void): void {
    const set = this.#subscribers.get(topic);
    if (set === undefined || set.size === 0) return;
    const frame = `msg ${topic}\n${payload}`;
    for (const peer of set) send(peer, frame);
  }
}
