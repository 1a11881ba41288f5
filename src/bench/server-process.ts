/**
 * Entry of the game-server process a bench measures: the PongServer `pong serve` runs, with
 * the same defaults and its reports, plus two probes: a bus tap on every player's ack (with the arrival time
 * the bus stamped on it, which the rooms use too) and the shared loop's tick errors. Forked rather than spawned as
 * `pong serve`, because those figures need a channel back; the server is otherwise the same,
 * in a process of its own so its CPU and event loop are its own.
 */
import { PongServer } from '../server/server.js';
import { startGatewayReports } from '../server/gateway-report.js';
import { topics } from '../protocol/topics.js';
import { runHost } from './host-main.js';
import { pongTransport } from './ipc.js';

/** Long enough that no game ends inside a bench. */
const POINTS = 99;

runHost(async (config, probes) => {
  const server = new PongServer({
    transports: [pongTransport(config.transport)],
    host: '127.0.0.1',
    port: 0,
    mqttPort: 0,
    ...(config.brokerUrl !== undefined ? { brokerUrl: config.brokerUrl } : {}),
    pointsToWin: POINTS,
    games: config.games,
    ...(config.network !== undefined ? { network: config.network } : {}),
    // Every simulated player connects from 127.0.0.1.
    limits: { connectionsPerAddress: 100_000 },
    rooms: { max: 100_000, perAddress: 100_000, perClient: 100_000 },
  });
  await server.start();
  // What `pong serve` runs beside its server (its log is not this bench's).
  const stopReports = startGatewayReports(server, [pongTransport(config.transport)], () => {});
  // The bus stamps each ack as it arrives: the same arrival time the rooms use.
  server.bus.subscribe(topics.anyPlayer('ack'), (message) => probes.ack(message.topic, message.payload, message.at));
  server.scheduler.onTickError(probes.tickError);
  return {
    urls: { httpUrl: server.httpUrl, mqttUrl: server.mqttUrl },
    seqOf: (game) => server.rooms.get(game)?.seq ?? 0,
    stop: () => {
      stopReports();
      return server.stop();
    },
  };
});
