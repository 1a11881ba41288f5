/**
 * Who may publish what, in a server that runs game rooms: the rule the hub applies to ws,
 * Socket.io and WebRTC clients and the embedded broker to MQTT clients, so a client reaches
 * the bus only with what a client of the game may send. Payloads are the rooms' to validate;
 * this only reads `player` and `clientId`, to know whose seat a message speaks for.
 *
 * Each kind's rules are in the message registry (protocol/registry.ts); here is what they mean:
 * - Only the client topics of a game: pN/paddle, ack/pN (and pN/ack, where older pong clients
 *   ack), join, leave, serve, restart, ready, and watch/<own clientId>/ack. The server's own (ball, state, stats, seat/..., watch/../stats)
 *   and anything else are refused, so nobody can forge a score or a grant.
 * - Never retained: a retained forgery would outlive its sender.
 * - Seat N's topics (pN/paddle, ack/pN, and leave, serve, restart, ready naming player N) only
 *   from N's holder, once N has one. A serve, restart or ready naming no player (a classic
 *   client's) passes: the room counts it for the sender's own seat, if it has one. While a seat is free its messages pass: the game is
 *   waiting, and the room itself checks the seat token. A join for a taken seat passes too:
 *   the room answers it (seat taken), which a refusal here could not.
 * - join and leave naming a clientId only from that client.
 *
 * And who may receive what (carriesSeatToken, seatAnswerFor): a seat token is a secret, so a
 * seat answer goes only to the client it answers, and a client's message that carries its token
 * (a re-join, or a paddle or command through an external broker) reaches the server alone.
 */
import { CLIENT_KINDS, MESSAGES } from '../protocol/registry.js';
import { parseTopic } from '../protocol/topics.js';
import type { SeatAuthority } from './seat-authority.js';

export type PolicyRefusal = 'unknown-topic' | 'server-topic' | 'retained' | 'seat' | 'not-yours';

export interface PolicyRequest {
  topic: string;
  /** As it arrived: the broker's Buffer is decoded only for the few topics whose fields count. */
  payload: string | Buffer;
  retain?: boolean;
}

/** The registry's rules for the topic's kind (see protocol/registry.ts), checked against the connection's client id. */
export function checkClientPublish(request: PolicyRequest, clientId: string | null, seats: SeatAuthority): PolicyRefusal | null {
  const parsed = parseTopic(request.topic);
  if (parsed === null) return 'unknown-topic';
  const rules = MESSAGES[parsed.kind].publishers;
  if (rules.includes('server')) return 'server-topic';
  if (request.retain === true) return 'retained';
  // The payload is decoded only for the kinds whose rules read it.
  let fields: Record<string, unknown> | null | undefined;
  const payload = () => (fields === undefined ? (fields = peek(request.payload)) : fields);
  for (const rule of rules) {
    switch (rule) {
      case 'client-in-topic':
        if (!('clientId' in parsed) || parsed.clientId !== clientId) return 'not-yours';
        break;
      case 'seat-in-topic':
        if ('player' in parsed && !holds(seats, parsed.gameId, parsed.player, clientId)) return 'seat';
        break;
      case 'client-in-payload': {
        const named = payload()?.['clientId'];
        if (typeof named === 'string' && named !== clientId) return 'not-yours';
        break;
      }
      case 'seat-in-payload': {
        const player = payload()?.['player'];
        if ((player === 1 || player === 2) && !holds(seats, parsed.gameId, player, clientId)) return 'seat';
        break;
      }
      case 'server':
        return 'server-topic';
    }
  }
  return null;
}

/** Client kinds whose payload may carry the seat token (the registry says which). */
const TOKEN_KINDS: ReadonlySet<string> = new Set(CLIENT_KINDS.filter((kind) => MESSAGES[kind].token === true));

/** Whether a client's message carries a seat token, so that no other client may receive it. */
export function carriesSeatToken(topic: string, payload: string | Buffer): boolean {
  const parsed = parseTopic(topic);
  if (parsed === null || !TOKEN_KINDS.has(parsed.kind)) return false;
  return payload.includes('"token"');
}

/** The client a message on this topic is for alone (a seat answer's), or null if it is for any subscriber. */
export function seatAnswerFor(topic: string): string | null {
  const parsed = parseTopic(topic);
  return parsed?.kind === 'seat' ? parsed.clientId : null;
}

/**
 * The rule of a server that runs game rooms, as its gateways get it (GatewayContext.policy): who
 * may publish what, who may receive what, and what proves a client's claim to its id.
 */
export class PublishPolicy {
  constructor(private readonly seats: SeatAuthority) {}

  /** null: the publish may reach the bus; otherwise why not. `clientId` is the connection's. */
  check(request: PolicyRequest, clientId: string | null): PolicyRefusal | null {
    return checkClientPublish(request, clientId, this.seats);
  }

  /** A client's message carrying its seat token: for the server's eyes only. */
  isSecret(topic: string, payload: string | Buffer): boolean {
    return carriesSeatToken(topic, payload);
  }

  /** The one client a message on this topic may go to (a seat answer's), or null for any subscriber. */
  onlyFor(topic: string): string | null {
    return seatAnswerFor(topic);
  }

  /** Whether `token` is a seat token of `clientId`'s: what lets a newer connection take the id over. */
  proves(clientId: string, token: string): boolean {
    return this.seats.proves(clientId, token);
  }
}

function holds(seats: SeatAuthority, gameId: string, player: 1 | 2, clientId: string | null): boolean {
  const holder = seats.holderOf(gameId, player);
  return holder === null || holder === clientId;
}

/** The payload's top-level fields, or null when it is not a JSON object (the room counts that). */
function peek(payload: string | Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
