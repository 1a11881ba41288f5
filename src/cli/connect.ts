/**
 * Builds a client session from the shared client flags: the one place where a command's flags
 * become a transport client.
 */
import { randomBytes } from 'node:crypto';
import { GameSession } from '../client/session.js';
import type { ClientRole } from '../client/view-state.js';
import { getTransport } from '../transports/registry.js';
import { KICK_REASONS } from '../transports/limits.js';
import { TransportError } from '../transports/transport.js';
import type { ClientArgs } from './options.js';
import { CliError } from './errors.js';
import type { ClientSecurity } from './security-options.js';

export function newClientId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function transportExtra(args: ClientArgs): Record<string, unknown> {
  switch (args.transport) {
    case 'socketio':
      return { polling: args.polling };
    case 'webrtc':
      return { signaling: args.signaling, iceServers: args.ice };
    default:
      return {};
  }
}

export function createSession(
  args: ClientArgs & ClientSecurity,
  role: ClientRole,
  clientId: string,
  overrides: { serverUrl?: string; brokerUrl?: string } = {},
) {
  const transport = getTransport(args.transport).createClient({
    serverUrl: overrides.serverUrl ?? args.server,
    brokerUrl: overrides.brokerUrl ?? args.broker,
    clientId,
    connectTimeoutMs: 5000,
    extra: transportExtra(args),
    ...(args.ca !== undefined ? { ca: args.ca } : {}),
    ...(args.username !== undefined ? { username: args.username } : {}),
    ...(args.password !== undefined ? { password: args.password } : {}),
  });
  return new GameSession({ gameId: args.game, role, transport, clientId, ...(args.name ? { name: args.name } : {}) });
}

/** Starts a session, turning an unreachable server into a one-line hint. */
export async function startSession(session: GameSession, args: ClientArgs): Promise<void> {
  try {
    await session.start();
  } catch (error) {
    await session.close().catch(() => {});
    if (error instanceof TransportError) {
      const where = args.transport === 'mqtt' ? args.broker : args.server;
      // `pong serve` (and a player hosting its own game) opens MQTT alone unless told otherwise.
      const server = args.transport === 'mqtt' ? '`pong serve`' : `\`pong serve -t ${args.transport}\` (or -t all)`;
      const refused = refusalHint(error.message);
      if (refused !== null) throw new CliError(`${error.message} (${args.transport} at ${where}) — ${refused}`);
      throw new CliError(`${error.message} (${args.transport} at ${where}) — is ${server} running?`);
    }
    throw error;
  }
}

/** What a person can do about a server that answered but refused the connection; null if it did not. */
export function refusalHint(message: string): string | null {
  if (message.includes(KICK_REASONS.connections)) {
    return 'the server refuses more connections from your address; its operator can raise the limit with pong serve --max-connections-per-address';
  }
  if (message.includes(KICK_REASONS.idTaken)) return 'another connection holds this client id';
  return null;
}
