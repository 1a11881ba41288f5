/**
 * What a room receives, kind by kind: the topics it listens to (every client kind of the
 * message registry, for its game), and one handler per kind, called with the decoded payload.
 * A payload that does not decode is counted as `<kind>:<reason>` and goes no further; a topic
 * of another game or of the server's own kinds is ignored.
 */
import type { Sender } from '../bus/bus.js';
import type { DropCounter } from '../protocol/drop-counter.js';
import { CLIENT_KINDS, isServerKind, type ClientKind, type PayloadByKind } from '../protocol/registry.js';
import { parseTopic, topicsReceived, type ParsedTopic } from '../protocol/topics.js';
import { decodePayload } from '../protocol/validate.js';

/** How a message reached the room. */
export interface Arrival {
  /** When it reached the bus (its clock), or when it was handed over. */
  at: number;
  /** The connection it came from, where a gateway of this server knows it. */
  sender: Sender | undefined;
  topic: Readonly<ParsedTopic>;
}

export type InboxHandlers = { readonly [K in ClientKind]: (message: PayloadByKind[K], arrival: Arrival) => void };

export class RoomInbox {
  constructor(
    private readonly gameId: string,
    private readonly handlers: InboxHandlers,
    private readonly drops: DropCounter,
    private readonly clock: () => number,
  ) {}

  /** The bus filters that bring this game's client messages (older clients' topics too). */
  filters(): string[] {
    return CLIENT_KINDS.flatMap((kind) => topicsReceived(kind, this.gameId, '+'));
  }

  deliver(topic: string, payload: string, at?: number, sender?: Sender): void {
    const parsed = parseTopic(topic);
    if (parsed === null || parsed.gameId !== this.gameId || isServerKind(parsed.kind)) return;
    this.dispatch(parsed.kind, parsed, payload, at, sender);
  }

  private dispatch<K extends ClientKind>(kind: K, parsed: Readonly<ParsedTopic>, payload: string, at: number | undefined, sender: Sender | undefined): void {
    const decoded = decodePayload(kind, payload);
    if (!decoded.ok) {
      this.drops.record(kind, decoded.reason);
      return;
    }
    (this.handlers[kind] as (message: PayloadByKind[K], arrival: Arrival) => void)(decoded.value, {
      at: at ?? this.clock(),
      sender,
      topic: parsed,
    });
  }
}
