/**
 * A player whose join nobody read (the server's rooms were stopped: a cluster node fencing
 * itself, a join lost between nodes) joins again by itself and gets its seat, though a waiting
 * game sends no frames to pace it: over a real ws connection to a real server.
 */
import { afterEach, expect, it } from 'vitest';
import { PongServer } from '../../src/server/server.js';
import { GameSession } from '../../src/client/session.js';
import { topics } from '../../src/protocol/topics.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import { seatedWsPlayer } from '../helpers/seated-player.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'lost-join';
let server: PongServer | null = null;
const sessions: GameSession[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  await server?.stop();
  server = null;
});

it('joins again until seated when its first join went unread', async () => {
  server = new PongServer({ transports: ['ws'], host: '127.0.0.1', port: 0, mqttPort: 0, games: [GAME] });
  await server.start();
  const joins: string[] = [];
  server.bus.subscribe(topics.join(GAME), (message) => joins.push(message.payload));
  sessions.push((await seatedWsPlayer(server.httpUrl!, GAME, 1, 'lost-p1')).session);
  // Nobody reads joins now: the retained state still shows seat 2 free.
  server.rooms.stopAll();
  const transport = wsTransport.createClient({ serverUrl: server.httpUrl!, brokerUrl: 'mqtt://127.0.0.1:1', clientId: 'lost-p2' });
  const p2 = new GameSession({ gameId: GAME, role: { kind: 'player', player: 2 }, transport, clientId: 'lost-p2' });
  sessions.push(p2);
  const answers: boolean[] = [];
  p2.onSeat((seat) => answers.push(seat.granted));
  await p2.start();
  await waitFor(() => joins.length === 2, 'the second player\'s join sent');
  expect(answers).toEqual([]);
  server.rooms.start();
  await waitFor(() => answers.includes(true), 'the seat granted on a join of its own', 10_000);
  expect(joins.length).toBeGreaterThanOrEqual(3);
  await waitFor(() => p2.getState().state?.players?.p2 === true, 'the state showing it seated');
});
