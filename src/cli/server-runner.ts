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
    return ['browser: not served (MQTT alone opens no HTTP port): add --transport mqtt,ws (or all) to serve the page on --port'];
  }
  return [
    `browser: ${browserUrl(httpUrl)} (lobby) · play ${browserUrl(httpUrl, `/?game=${gameId}&player=2`)} · compare ${browserUrl(httpUrl, `/compare?game=${gameId}`)}`,
  ];
}

/** Tries the preferred port, and if it is taken, one the OS picks: for the zero-setup demo. */
export async function startServerPreferringPorts(options: ServerOptions): Promise<PongServer> {
  try {
    return await startServer(options);
  } catch (error) {
    if (!(error instanceof CliError) || !/in use/.test(error.message)) throw error;
    return startServer({ ...options, port: 0, mqttPort: 0 });
  }
}
