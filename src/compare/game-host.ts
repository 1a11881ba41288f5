/**
 * The game the compare screen watches when no server is named: `pong serve` and two `pong bot`
 * players (one, with --play), each in its own child process.
 *
 * Child processes rather than a worker thread: the server's 60 Hz loop, its gateways and its
 * garbage collector then run on their own event loop and heap, on another core, so what the
 * observers measure is the transports, not the observers waiting for the server's tick. A
 * worker thread would not do: node-datachannel, which the WebRTC gateway needs, fires no
 * callbacks in one and aborts the process when it is terminated. And a child is exactly the
 * `pong serve` a teacher runs, reachable by mosquitto_sub and `pong watch`.
 */
import type { PlayerNumber } from '../protocol/messages.js';
import type { TransportName } from '../transports/transport.js';
import { PongChild } from './pong-child.js';

export interface HostOptions {
  gameId: string;
  /** Served besides MQTT, which is always served so mosquitto_sub can watch. */
  transports: readonly TransportName[];
  /** Seats the bots take. */
  bots: readonly PlayerNumber[];
  skill: number;
  /** More `pong serve` flags (e.g. simulated network conditions). */
  serveArgs?: readonly string[];
  timeoutMs?: number;
}

export interface HostedGame {
  mqttUrl: string;
  /** HTTP URL of ws, Socket.io and WebRTC signaling, when one of them is served. */
  httpUrl: string | null;
  stop(): Promise<void>;
}

/** The longest game `pong serve` allows, so a lesson's screen is not stopped by a winner. */
const LONG_GAME_POINTS = '99';

export async function hostGame(options: HostOptions): Promise<HostedGame> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const served = [...new Set<TransportName>(['mqtt', ...options.transports])];
  const children: PongChild[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.splice(0).reverse().map((child) => child.stop()));
  };
  try {
    const server = new PongChild([
      'serve', '--transport', served.join(','), '--host', '127.0.0.1', '--port', '0', '--mqtt-port', '0',
      '--game', options.gameId, '--points', LONG_GAME_POINTS, ...(options.serveArgs ?? []),
    ]);
    children.push(server);
    await server.waitForLine(/press Ctrl-C to stop/, timeoutMs).catch((error: Error) => {
      throw new Error(`the game server did not start: ${error.message}`);
    });
    const mqttUrl = server.matches(/serving mqtt (mqtt:\/\/\S+)/)[0]?.[1];
    if (mqttUrl === undefined) throw new Error('the game server did not say where its MQTT broker is');
    const httpUrl = server.matches(/serving (?:ws|socketio|webrtc) (http:\/\/\S+)/)[0]?.[1] ?? null;

    const bots = options.bots.map((player) => {
      const bot = new PongChild([
        'bot', '--player', String(player), '--game', options.gameId, '--transport', 'mqtt', '--broker', mqttUrl,
        '--skill', String(options.skill), '--forever',
      ]);
      children.push(bot);
      return bot.waitForLine(/joined game/, timeoutMs).catch((error: Error) => {
        throw new Error(`bot player ${player} did not join: ${error.message}`);
      });
    });
    await Promise.all(bots);
    return { mqttUrl, httpUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
