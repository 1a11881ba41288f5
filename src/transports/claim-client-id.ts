/**
 * What a ws, Socket.io or WebRTC client declares when it connects (its client id, and a seat
 * token as proof if it has one), and the claim of that id in the server's registry: shared by
 * every gateway whose clients connect to the server itself.
 */
import { CLIENT_ID_PATTERN } from '../protocol/constants.js';
import { TOKEN_PATTERN } from '../protocol/validate.js';
import type { Claim, Claimant, ClientRegistry } from './client-registry.js';
import { KICK_REASONS } from './limits.js';

export interface DeclaredIdentity {
  clientId: string | null;
  /** A seat token the client presents to take its id over from an older connection of its own. */
  token: string | null;
}

/** From a WebSocket upgrade's URL: `?clientId=...&token=...`. */
export function declaredIdentity(request: { url?: string | undefined }): DeclaredIdentity {
  const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
  return fromValues(params.get('clientId'), params.get('token'));
}

/** From a Socket.io handshake's query. */
export function declaredIdentityOf(query: Record<string, unknown>): DeclaredIdentity {
  return fromValues(query['clientId'], query['token']);
}

function fromValues(clientId: unknown, token: unknown): DeclaredIdentity {
  return {
    clientId: typeof clientId === 'string' && CLIENT_ID_PATTERN.test(clientId) ? clientId : null,
    token: typeof token === 'string' && TOKEN_PATTERN.test(token) ? token : null,
  };
}

/**
 * The connection's hold on its id: null when it gave none (or the server checks no ids),
 * `client-id-taken` when another connection holds it.
 */
export function claimClientId(
  registry: ClientRegistry | undefined,
  clientId: string | null,
  token: string | null,
  claimant: Claimant,
): Claim | null | typeof KICK_REASONS.idTaken {
  if (registry === undefined || clientId === null) return null;
  return registry.claim(clientId, claimant, token);
}
