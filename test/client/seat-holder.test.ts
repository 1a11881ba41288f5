/**
 * When a player says who it is again: a seat the server forgot, or a join that was never
 * answered (lost on its way) — never after a refusal, and never to a server whose state does not
 * list its players (the classic demo's).
 */
import { expect, it } from 'vitest';
import { SeatHolder, REJOIN_INTERVAL_MS } from '../../src/client/seat-holder.js';
import type { StateMessage } from '../../src/protocol/messages.js';
import type { TransportClient } from '../../src/transports/transport.js';

function holder() {
  let now = 0;
  const joins: object[] = [];
  // SeatHolder only hands the transport its will and token: nothing here is sent anywhere.
  const transport = { setSeatToken: () => {}, setWill: () => {} } as unknown as TransportClient;
  const seat = new SeatHolder({ gameId: 'g', clientId: 'me', player: 2, transport, clock: () => now, publish: (_topic, body) => joins.push(body) });
  return { seat, joins, advance: (ms: number) => (now += ms), now: () => now };
}

const waiting = (p2: boolean): StateMessage => ({ status: 'waiting', p1Score: 0, p2Score: 0, timestamp: 0, players: { p1: true, p2 } }) as StateMessage;

it('joins again when its join went unanswered and the state shows it absent, at most once a second', () => {
  const { seat, advance, now } = holder();
  seat.join({ transport: 'ws' });
  expect(seat.forgotten(waiting(false), true, now())).toBe(false);
  advance(REJOIN_INTERVAL_MS);
  expect(seat.forgotten(waiting(false), true, now())).toBe(true);
  // Not while disconnected, nor once the state shows it in.
  expect(seat.forgotten(waiting(false), false, now())).toBe(false);
  expect(seat.forgotten(waiting(true), true, now())).toBe(false);
});

it('does not join again after a refusal', () => {
  const { seat, advance, now } = holder();
  seat.join({ transport: 'ws' });
  seat.answer({ player: 2, granted: false, timestamp: 0 });
  advance(REJOIN_INTERVAL_MS * 5);
  expect(seat.forgotten(waiting(false), true, now())).toBe(false);
});

it('does not join again where the state lists no players (a classic server answers no joins)', () => {
  const { seat, advance, now } = holder();
  seat.join({ transport: 'mqtt' });
  advance(REJOIN_INTERVAL_MS * 5);
  expect(seat.forgotten({ status: 'waiting', p1Score: 0, p2Score: 0, timestamp: 0 } as StateMessage, true, now())).toBe(false);
});

it('joins again when seated and the server shows it absent (it restarted)', () => {
  const { seat, advance, now } = holder();
  seat.join({ transport: 'ws' });
  seat.answer({ player: 2, granted: true, token: 't', timestamp: 0 });
  advance(REJOIN_INTERVAL_MS);
  expect(seat.forgotten(waiting(true), true, now())).toBe(false);
  expect(seat.forgotten(waiting(false), true, now())).toBe(true);
});
