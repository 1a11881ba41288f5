/**
 * A player's session sends at most one paddle message per server tick, always the latest
 * position, however often the key handler or the bot moves it: over a real ws connection to a
 * real server, counted where the game receives them.
 */
import { afterEach, expect, it } from 'vitest';
import { PongServer } from '../../src/server/server.js';
import type { GameSession } from '../../src/client/session.js';
import { topics } from '../../src/protocol/topics.js';
import { seatedWsPlayer } from '../helpers/seated-player.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'paddle-rate';
let server: PongServer | null = null;
let session: GameSession | null = null;

afterEach(async () => {
  await session?.close();
  await server?.stop();
  session = null;
  server = null;
});

it('coalesces a burst of moves into one message now and one with the latest position a tick later', async () => {
  server = new PongServer({ transports: ['ws'], host: '127.0.0.1', port: 0, mqttPort: 0, games: [GAME] });
  await server.start();
  const received: number[] = [];
  server.bus.subscribe(topics.paddle(GAME, 1), (message) => received.push((JSON.parse(message.payload) as { y: number }).y));
  ({ session } = await seatedWsPlayer(server.httpUrl!, GAME, 1, 'rate-p1'));
  // The grant sends the paddle where it starts, the centre.
  await waitFor(() => received.length === 1, 'the paddle sent on the grant');
  // Two frames later a tick has passed since that send, so the burst's first move goes at once.
  const seqNow = session.getState().ball?.seq ?? 0;
  await waitFor(() => (session!.getState().ball?.seq ?? 0) >= seqNow + 2, 'two more frames');
  received.length = 0;

  // Fifty moves in one turn of the event loop, as a burst of key events or bot decisions.
  for (let i = 1; i <= 50; i++) session.movePaddleTo(i * 0.1);
  await waitFor(() => received.length >= 2, 'the burst sent');
  // Then a further round trip: nothing more comes (test/client/paddle-outbox.test.ts paces it in fake time).
  await waitFor(() => session!.getState().ball?.p1y === 5, 'the server moved the paddle');

  expect(received).toEqual([0.1, 5]);
  // The own paddle is drawn where it was put, at once.
  expect(session.getState().paddles.p1).toBe(5);
});
