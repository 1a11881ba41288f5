/**
 * Starts a PongServer from flags with the errors a person can act on, and prints how to reach
 * and watch it. Shared by `pong serve`, `pong demo` and a hosting `pong play`.
 */
import { PongServer, type ServerOptions } from '../server/server.js';
import { TransportError } from '../transports/transport.js';
import { CliError } from './errors.js';

export async function startServer(options: ServerOptions): Promise<PongServer> {
  const server = new PongServer(options);
  try {
    await server.start();
  } catch (error) {
    if (error instanceof TransportError) throw new CliError(error.message);
    throw error;
  }
  return server;
}

/** The exact command that shows every message of a game, for the broker in use. */
export function mosquittoSubCommand(mqttUrl: string, gameId: string): string {
  const url = new URL(mqttUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `mosquitto_sub -h ${shownHost} -p ${url.port || '1883'} -t 'pong/game/${gameId}/#' -v`;
}

/** A page of the server's browser client, at an address a browser on this machine can open. */
export function browserUrl(httpUrl: string, path = '/'): string {
  const url = new URL(path, httpUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  return url.toString();
}

/** What `pong serve` and `pong demo` say about the browser page: where it is, or what opens it. */
export function browserLines(httpUrl: string | null, gameId: string): string[] {
  if (httpUrl === null) {
    return ['browser: not served (no HTTP port: an external broker and MQTT alone): add --transport mqtt,ws (or all) to serve the page on --port'];
  }
  return [
    `browser: ${browserUrl(httpUrl)} (lobby) · play ${browserUrl(httpUrl, `/?game=${gameId}&player=2`)} · compare ${browserUrl(httpUrl, `/compare?game=${gameId}`)}`,
  ];
}

/**
 * Tries the preferred ports, and where one is taken, ports the OS picks: the HTTP port first
 * (a zero-setup run's clients are told where it is, or only need it for MQTT over WebSocket),
 * then, unless `keepMqttPort` (a second player will look for the broker at its default), the
 * broker's too.
 */
export async function startServerPreferringPorts(options: ServerOptions, keepMqttPort = false): Promise<PongServer> {
  const fallbacks: ServerOptions[] = [{ ...options, port: 0 }, ...(keepMqttPort ? [] : [{ ...options, port: 0, mqttPort: 0 }])];
  let attempt = options;
  for (const next of fallbacks) {
    try {
      return await startServer(attempt);
    } catch (error) {
      if (!(error instanceof CliError) || !/in use/.test(error.message)) throw error;
    }
    attempt = next;
  }
  return startServer(attempt);
}
