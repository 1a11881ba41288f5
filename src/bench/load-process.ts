/**
 * Entry of the scale bench's load generator: every simulated player of every game in this one
 * process, each a client that receives its game's ball frames and acks each at once, as a
 * real client does. No session, no view state, no bot brain: the transport's bare client
 * library (floors/bare-ackers.ts), speaking pong's framing, so the load generator stays
 * lighter than what it loads and the figures are the server's. WebRTC's players loading pong's
 * server are pong's own transport client, as pong's gateway signals in a protocol of its own;
 * loading the bare relay, they are bare node-datachannel peers with the floor's signaling.
 */
import { systemClock } from '../metrics/clock.js';
import type { TransportClient } from '../transports/transport.js';
import { ackTextOf } from '../protocol/ack-text.js';
import { topics } from '../protocol/topics.js';
import { createTransportClient, runClients, wireTotals } from './clients-main.js';
import { startBareAcker, type BareAcker } from './floors/bare-ackers.js';
import type { PlayersConfig } from './ipc.js';

/** Connections opened at once: enough to be quick, few enough not to stall the host's accept loop. */
const CONNECT_BATCH = { webrtc: 8, default: 50 } as const;

interface LoadClient {
  readonly frames: number;
  connect(): Promise<void>;
  close(): Promise<void>;
}

runClients(async (config) => {
  const players: LoadClient[] = [];
  const transportClients: TransportClient[] = [];
  for (const game of config.games) {
    for (const player of [1, 2] as const) {
      const clientId = `load-${game}-p${player}`;
      const join = config.join ? JSON.stringify({ player, timestamp: systemClock(), clientId, transport: config.transport }) : undefined;
      // Only pong's server asks for a join; it is also the only host that speaks pong's signaling.
      if (config.transport === 'webrtc' && config.join === true) {
        const client = createTransportClient(config, clientId);
        transportClients.push(client);
        players.push(pongClient(client, game, player, join));
      } else {
        players.push(bareClient(config, game, player, clientId, join));
      }
    }
  }
  const batch = config.transport === 'webrtc' ? CONNECT_BATCH.webrtc : CONNECT_BATCH.default;
  let failed = 0;
  for (let i = 0; i < players.length; i += batch) {
    const results = await Promise.allSettled(players.slice(i, i + batch).map((player) => player.connect()));
    failed += results.filter((result) => result.status === 'rejected').length;
  }
  return {
    failed,
    get frames() {
      let frames = 0;
      for (const player of players) frames += player.frames;
      return frames;
    },
    // Bare libraries keep their byte counts to themselves; the scale bench reports CPU only.
    get wire() {
      return transportClients.length > 0 ? wireTotals(transportClients) : null;
    },
    close: async () => {
      await Promise.allSettled(players.map((player) => player.close()));
    },
  };
});

function bareClient(config: PlayersConfig, game: string, player: 1 | 2, clientId: string, join: string | undefined): LoadClient {
  let acker: BareAcker | null = null;
  return {
    get frames() {
      return acker?.frames ?? 0;
    },
    async connect() {
      acker = await startBareAcker({ transport: config.transport, urls: config.urls, game, player, clientId, ...(join !== undefined ? { join } : {}) });
    },
    close: async () => acker?.close(),
  };
}

function pongClient(client: TransportClient, game: string, player: 1 | 2, join: string | undefined): LoadClient {
  let frames = 0;
  const ackTopic = topics.ack(game, player);
  client.onMessage((_topic, payload) => {
    const ack = ackTextOf(payload, systemClock());
    if (ack === null) return;
    frames += 1;
    client.publish(ackTopic, ack, { qos: 0 });
  });
  client.subscribe(`pong/game/${game}/ball`);
  return {
    get frames() {
      return frames;
    },
    async connect() {
      await client.connect();
      if (join !== undefined) client.publish(`pong/game/${game}/join`, join, { qos: 1 });
    },
    close: () => client.close(),
  };
}
