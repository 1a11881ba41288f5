/**
 * Every kind of message a game carries, in one table: its topic under `pong/game/<id>/`, who
 * may publish it, its QoS and retain flag, and the decoder of its payload. Topic parsing
 * (topics.ts), validation (validate.ts), the publish policy (game/publish-policy.ts) and the
 * dispatch of the room and the client session are all driven by it: a new kind is one entry
 * here plus its handlers, and the compiler asks for each handler.
 */
import {
  decodeAck,
  decodeBall,
  decodeCommand,
  decodeJoin,
  decodeLeave,
  decodePaddle,
  decodeSeat,
  decodeState,
  decodeStats,
  decodeWatcherStats,
} from './decoders.js';
import type { Obj } from './fields.js';
import type {
  AckMessage,
  ArrivingBall,
  CommandMessage,
  JoinMessage,
  LeaveMessage,
  PaddleMessage,
  SeatMessage,
  StateMessage,
  StatsMessage,
  WatcherStatsMessage,
} from './messages.js';

export interface PayloadByKind {
  ball: ArrivingBall;
  state: StateMessage;
  stats: StatsMessage;
  seat: SeatMessage;
  watcherStats: WatcherStatsMessage;
  join: JoinMessage;
  leave: LeaveMessage;
  serve: CommandMessage;
  restart: CommandMessage;
  ready: CommandMessage;
  paddle: PaddleMessage;
  ack: AckMessage;
  watcherAck: AckMessage;
}
export type PayloadKind = keyof PayloadByKind;

/**
 * Who may publish a kind, as the server's gateways check it against the connection's client id:
 * - `server`: nobody else;
 * - `seat-in-topic`: the holder of the seat the topic names (`p1/...`);
 * - `seat-in-payload`: the holder of the seat the payload's `player` names;
 * - `client-in-topic`: the client the topic names (`watch/<clientId>/...`);
 * - `client-in-payload`: the client the payload's `clientId` names, when it names one.
 */
export type PublishRule = 'server' | 'seat-in-topic' | 'seat-in-payload' | 'client-in-topic' | 'client-in-payload';

/** A topic level: a word, or a placeholder for the player (`p1`, `p2`) or a client id. */
export type TopicLevel = string | '{player}' | '{clientId}';

export interface MessageSpec<K extends PayloadKind> {
  /** Levels after `pong/game/<id>/`. */
  readonly topic: readonly TopicLevel[];
  /**
   * Where older pong clients still send this kind: parsed as it and listened to by the rooms,
   * never written (topicOf builds `topic` alone).
   */
  readonly formerTopics?: readonly (readonly TopicLevel[])[];
  /** Every rule must hold (none for the server's own kinds, where `server` says it all). */
  readonly publishers: readonly PublishRule[];
  readonly qos: 0 | 1;
  readonly retain: boolean;
  /** The payload may carry a seat token: then no client but the server may receive it. */
  readonly token?: true;
  readonly decode: (o: Obj) => PayloadByKind[K];
}

export const MESSAGES: { readonly [K in PayloadKind]: MessageSpec<K> } = {
  // The server's: every tick; on every change; about twice a second; to one client.
  ball: { topic: ['ball'], publishers: ['server'], qos: 0, retain: false, decode: decodeBall },
  state: { topic: ['state'], publishers: ['server'], qos: 1, retain: true, decode: decodeState },
  stats: { topic: ['stats'], publishers: ['server'], qos: 0, retain: true, decode: decodeStats },
  seat: { topic: ['seat', '{clientId}'], publishers: ['server'], qos: 1, retain: false, decode: decodeSeat },
  watcherStats: { topic: ['watch', '{clientId}', 'stats'], publishers: ['server'], qos: 0, retain: false, decode: decodeWatcherStats },
  // A client's: "I am here" (a join for a taken seat passes, so the room can answer it), "I am
  // gone", the serving player's serve, a new game, the paddle, an ack of every frame. Acks
  // live off the `p1/`, `p2/` path: the classic demo's clients take everything under it for
  // a paddle (and would read each ack's missing `y` as the other paddle's position).
  join: { topic: ['join'], publishers: ['client-in-payload'], qos: 1, retain: false, token: true, decode: decodeJoin },
  leave: { topic: ['leave'], publishers: ['client-in-payload', 'seat-in-payload'], qos: 1, retain: false, token: true, decode: decodeLeave },
  serve: { topic: ['serve'], publishers: ['seat-in-payload'], qos: 1, retain: false, token: true, decode: decodeCommand },
  restart: { topic: ['restart'], publishers: ['seat-in-payload'], qos: 1, retain: false, token: true, decode: decodeCommand },
  ready: { topic: ['ready'], publishers: ['seat-in-payload'], qos: 1, retain: false, token: true, decode: decodeCommand },
  paddle: { topic: ['{player}', 'paddle'], publishers: ['seat-in-topic'], qos: 0, retain: false, token: true, decode: decodePaddle },
  ack: { topic: ['ack', '{player}'], formerTopics: [['{player}', 'ack']], publishers: ['seat-in-topic'], qos: 0, retain: false, decode: decodeAck },
  watcherAck: { topic: ['watch', '{clientId}', 'ack'], publishers: ['client-in-topic'], qos: 0, retain: false, decode: decodeAck },
};

export const MESSAGE_KINDS = Object.keys(MESSAGES) as PayloadKind[];

/** The kinds only the server publishes, and those its clients do. */
export type ServerKind = 'ball' | 'state' | 'stats' | 'seat' | 'watcherStats';
export type ClientKind = Exclude<PayloadKind, ServerKind>;

export function isServerKind(kind: PayloadKind): kind is ServerKind {
  return MESSAGES[kind].publishers.includes('server');
}

export const CLIENT_KINDS = MESSAGE_KINDS.filter((kind): kind is ClientKind => !isServerKind(kind));

export const DECODERS: { readonly [K in PayloadKind]: (o: Obj) => PayloadByKind[K] } = Object.fromEntries(
  MESSAGE_KINDS.map((kind) => [kind, MESSAGES[kind].decode]),
) as { readonly [K in PayloadKind]: (o: Obj) => PayloadByKind[K] };
