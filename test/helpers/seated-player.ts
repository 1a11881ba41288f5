/**
 * A player's session over ws to a real server, started and holding its seat: what tests of the
 * client's behaviour in a game begin with.
 */
import { GameSession } from '../../src/client/session.js';
import type { PlayerNumber } from '../../src/protocol/messages.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import type { TransportClient } from '../../src/transports/transport.js';

export interface SeatedPlayer {
  session: GameSession;
  transport: TransportClient;
}

/** Resolves once the server has granted the seat; the caller closes the session. */
export async function seatedWsPlayer(serverUrl: string, gameId: string, player: PlayerNumber, clientId: string): Promise<SeatedPlayer> {
  const transport = wsTransport.createClient({ serverUrl, brokerUrl: 'mqtt://127.0.0.1:1', clientId });
  const session = new GameSession({ gameId, role: { kind: 'player', player }, transport, clientId });
  const granted = new Promise<void>((resolve) => session.onSeat((seat) => seat.granted && resolve()));
  await session.start();
  await granted;
  return { session, transport };
}
