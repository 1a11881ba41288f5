/**
 * Entry of the scale bench's load generator: every simulated player of every game in this one
 * process, each a transport client from the registry that receives its game's ball frames and
 * acks each at once, as a real client does. No session, no view state, no bot brain: the
 * lightest client that still speaks each transport's real protocol through its real client
 * library, so the figures are the server's, and the load generator stays lighter than it.
 */
import { systemClock } from '../metrics/clock.js';
import type { TransportClient } from '../transports/transport.js';
import { ackText } from './ack-text.js';
import { createTransportClient, runClients, wireTotals } from './clients-main.js';

/** Connections opened at once: enough to be quick, few enough not to stall the host's accept loop. */
const CONNECT_BATCH = { webrtc: 8, default: 50 } as const;

runClients(async (config) => {
  let frames = 0;
  const clients: TransportClient[] = [];
  const connects: Array<() => Promise<void>> = [];
  for (const game of config.games) {
    for (const player of [1, 2] as const) {
      const clientId = `load-${game}-p${player}`;
      const client = createTransportClient(config, clientId);
      const ackTopic = `pong/game/${game}/p${player}/ack`;
      client.onMessage((_topic, payload) => {
        const rx = systemClock();
        frames += 1;
        client.publish(ackTopic, ackText(payload, rx), { qos: 0 });
      });
      client.subscribe(`pong/game/${game}/ball`);
      clients.push(client);
      connects.push(async () => {
        await client.connect();
        if (config.join) {
          client.publish(`pong/game/${game}/join`, JSON.stringify({ player, timestamp: systemClock(), clientId, transport: config.transport }), { qos: 1 });
        }
      });
    }
  }
  const batch = config.transport === 'webrtc' ? CONNECT_BATCH.webrtc : CONNECT_BATCH.default;
  let failed = 0;
  for (let i = 0; i < connects.length; i += batch) {
    const results = await Promise.allSettled(connects.slice(i, i + batch).map((connect) => connect()));
    failed += results.filter((result) => result.status === 'rejected').length;
  }
  return {
    failed,
    get frames() {
      return frames;
    },
    get wire() {
      return wireTotals(clients);
    },
    close: async () => {
      await Promise.allSettled(clients.map((client) => client.close()));
    },
  };
});
