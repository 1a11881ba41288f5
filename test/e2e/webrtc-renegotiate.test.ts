/**
 * A WebRTC game survives losing its peer connections: the server closes every peer mid-game,
 * each client re-negotiates a fresh one on its own, and the game goes on to a winner.
 */
import { afterEach, expect, it } from 'vitest';
import { PongServer } from '../../src/server/server.js';
import { GameSession } from '../../src/client/session.js';
import { startBotPlayer } from '../../src/bot/bot-player.js';
import { webrtcTransport, WebRtcGateway } from '../../src/transports/webrtc/index.js';
import type { ConnectionStatus } from '../../src/transports/transport.js';
import type { PlayerNumber } from '../../src/protocol/messages.js';

const GAME = 'renegotiate';
let server: PongServer | null = null;
const sessions: GameSession[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close().catch(() => {});
  await server?.stop();
  server = null;
});

function player(number: PlayerNumber, serverUrl: string) {
  const clientId = `rtc-p${number}`;
  const transport = webrtcTransport.createClient({ serverUrl, brokerUrl: 'mqtt://127.0.0.1:1', clientId, connectTimeoutMs: 10_000 });
  const statuses: ConnectionStatus[] = [];
  transport.onStatus((status) => statuses.push(status));
  const session = new GameSession({ gameId: GAME, role: { kind: 'player', player: number }, transport, clientId });
  sessions.push(session);
  return { session, statuses };
}

it('re-negotiates killed peer connections mid-game and the game finishes', async () => {
  server = new PongServer({ transports: ['webrtc'], host: '127.0.0.1', port: 0, mqttPort: 0, pointsToWin: 3, games: [GAME] });
  await server.start();
  const url = server.httpUrl!;
  const p1 = player(1, url);
  const p2 = player(2, url);
  await p1.session.start();
  await p2.session.start();
  const bots = [startBotPlayer(p1.session, { skill: 0.4 }), startBotPlayer(p2.session, { skill: 0.4 })];
  await p1.session.waitForState((state) => state.status === 'playing');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const seqBefore = p1.session.getState().ball!.seq;

  const gateway = server.gateway('webrtc');
  expect(gateway).toBeInstanceOf(WebRtcGateway);
  await (gateway as WebRtcGateway).dropPeers();

  // Both clients notice, re-negotiate, and frames flow again with the game's sequence going on.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !(p1.statuses.at(-1) === 'connected' && p1.statuses.includes('reconnecting'))) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(p1.statuses).toContain('reconnecting');
  expect(p1.statuses.at(-1)).toBe('connected');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(p1.session.getState().ball!.seq).toBeGreaterThan(seqBefore + 10);

  const final = await bots[0]!.finished;
  expect(final.status).toBe('ended');
  expect(Math.max(final.p1Score, final.p2Score)).toBe(3);
  expect(p2.statuses).toContain('reconnecting');
  expect(p2.statuses.at(-1)).toBe('connected');
}, 150_000);
