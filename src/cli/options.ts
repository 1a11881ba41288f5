/**
 * Flags shared by the commands, defined once so every command spells and checks them alike.
 */
import type { Argv } from 'yargs';
import { DEFAULT_FPS, DEFAULT_GAME_ID, DEFAULT_POINTS } from '../protocol/constants.js';
import { isValidGameId } from '../protocol/topics.js';
import { transportNames } from '../transports/registry.js';
import type { TransportName } from '../transports/transport.js';
import { CliError } from './errors.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_MQTT_PORT = 1883;
export const DEFAULT_SERVER_URL = `http://${DEFAULT_HOST}:${DEFAULT_HTTP_PORT}`;
export const DEFAULT_BROKER_URL = `mqtt://${DEFAULT_HOST}:${DEFAULT_MQTT_PORT}`;

export interface ClientArgs {
  game: string;
  transport: TransportName;
  server: string;
  broker: string;
  polling: boolean;
  signaling: 'ws' | 'socketio';
  ice: string[];
  name?: string | undefined;
}

export function withClientOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('game', { alias: 'g', type: 'string', default: DEFAULT_GAME_ID, describe: 'Game id (letters, digits, - and _)' })
    .option('transport', {
      alias: 't',
      type: 'string',
      choices: transportNames,
      default: 'mqtt',
      describe: 'Protocol to the server',
    })
    .option('server', { type: 'string', default: DEFAULT_SERVER_URL, describe: 'Server URL (ws, socketio, webrtc); a comma list: tried in turn' })
    .option('broker', { type: 'string', default: DEFAULT_BROKER_URL, describe: 'MQTT broker URL (mqtt); a comma list: tried in turn' })
    .option('polling', { type: 'boolean', default: false, describe: 'socketio: allow long-polling fallback' })
    .option('signaling', { type: 'string', choices: ['ws', 'socketio'], default: 'ws', describe: 'webrtc: signaling channel' })
    .option('ice', { type: 'string', array: true, default: [] as string[], describe: 'webrtc: add an ICE server (stun:host:port), repeatable' })
    .option('name', { type: 'string', describe: 'Your name, shown to others' })
    .check((argv) => {
      checkGameId(String(argv.game));
      // A comma list: a cluster's nodes, tried in turn.
      for (const url of String(argv.server).split(',')) checkUrl('--server', url.trim(), ['http:', 'https:']);
      for (const url of String(argv.broker).split(',')) checkUrl('--broker', url.trim(), ['mqtt:', 'mqtts:', 'tcp:']);
      return true;
    });
}

export function withServerOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('host', { type: 'string', default: DEFAULT_HOST, describe: 'Address to listen on (0.0.0.0 exposes it on your LAN)' })
    .option('port', { alias: 'p', type: 'number', default: DEFAULT_HTTP_PORT, describe: 'HTTP port for ws, Socket.io, WebRTC signaling and MQTT over WebSocket (/mqtt)' })
    .option('mqtt-port', { type: 'number', default: DEFAULT_MQTT_PORT, describe: 'Embedded MQTT broker port' })
    .option('fps', { type: 'number', default: DEFAULT_FPS, describe: 'Simulation and frame rate (Hz)' })
    .option('points', { type: 'number', default: DEFAULT_POINTS, describe: 'Points needed to win' })
    .check((argv) => {
      checkPort('--port', argv.port);
      checkPort('--mqtt-port', argv['mqtt-port']);
      checkRange('--fps', argv.fps, 1, 240);
      checkRange('--points', argv.points, 1, 99);
      return true;
    });
}

export function checkGameId(game: string): void {
  if (!isValidGameId(game)) throw new CliError(`invalid --game '${game}': use 1-64 letters, digits, - or _`, 2);
}

export function checkUrl(flag: string, value: string, protocols: readonly string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`invalid ${flag} '${value}': not a URL (e.g. ${protocols[0]}//127.0.0.1:1234)`, 2);
  }
  if (!protocols.includes(url.protocol)) {
    throw new CliError(`invalid ${flag} '${value}': expected ${protocols.map((p) => p + '//').join(' or ')}`, 2);
  }
}

export function checkPort(flag: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new CliError(`invalid ${flag} '${String(value)}': expected a port number 0-65535`, 2);
  }
}

export function checkRange(flag: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new CliError(`invalid ${flag} '${String(value)}': expected a number from ${min} to ${max}`, 2);
  }
}

/** `--transport mqtt,ws` or `--transport all`. */
export function parseTransportList(value: string): TransportName[] {
  if (value === 'all') return [...transportNames];
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new CliError(`invalid --transport '${value}': name at least one of ${transportNames.join(', ')}, or all`, 2);
  for (const name of names) {
    if (!(transportNames as readonly string[]).includes(name)) {
      throw new CliError(`invalid --transport '${name}': choose from ${transportNames.join(', ')}, or all`, 2);
    }
  }
  return [...new Set(names)] as TransportName[];
}

/** The shared client flags of a parsed command line, typed (yargs has checked their choices). */
export function clientArgs(argv: Record<string, unknown>): ClientArgs {
  return {
    game: String(argv.game),
    transport: argv.transport as TransportName,
    server: String(argv.server),
    broker: String(argv.broker),
    polling: argv.polling === true,
    signaling: argv.signaling === 'socketio' ? 'socketio' : 'ws',
    ice: Array.isArray(argv.ice) ? argv.ice.map(String) : [],
    name: typeof argv.name === 'string' ? argv.name : undefined,
  };
}
