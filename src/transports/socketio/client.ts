/**
 * Client side of the Socket.io transport in Node: SocketIoClientCore over WebSocket (or
 * long-polling, `extra.polling`), the bytes of the TCP connections underneath counted by an
 * http.Agent of our own.
 */
import type { ManagerOptions } from 'socket.io-client';
import type { ClientOptions, WireCounters } from '../transport.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, SocketIoClientCore } from './client-core.js';
import { CountingAgent } from './counting-agent.js';
import { addressList } from '../address-ring.js';

export { DEFAULT_CONNECT_TIMEOUT_MS, type SocketIoClientCounters } from './client-core.js';

/** How long close() waits for the server to acknowledge before cutting the connections. */
const CLOSE_GRACE_MS = 1_000;

export class SocketIoClient extends SocketIoClientCore {
  private readonly agent: CountingAgent;

  constructor(options: ClientOptions) {
    const secure = new URL(addressList(options.serverUrl)[0] ?? options.serverUrl).protocol === 'https:';
    const agent = new CountingAgent({ keepAlive: true, ...(options.ca !== undefined ? { ca: options.ca } : {}) }, secure);
    // true: polling first, then upgrade, the fallback for networks that block WebSocket
    // upgrades. 'only': never upgrade, to measure long-polling itself.
    const extra = options.extra ?? {};
    const polling = extra['polling'];
    const transports: ManagerOptions['transports'] =
      polling === true ? ['polling', 'websocket'] : polling === 'only' ? ['polling'] : ['websocket'];
    super({
      serverUrl: options.serverUrl,
      clientId: options.clientId,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      managerOptions: {
        transports,
        reconnectionDelay: Number(extra['reconnectBaseMs'] ?? 250),
        reconnectionDelayMax: Number(extra['reconnectMaxMs'] ?? 2_000),
        // Typed as string | boolean for browsers; in Node, engine.io-client hands it to `ws` and
        // to the polling requests as their http.Agent.
        agent: agent as unknown as string,
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
      },
    });
    this.agent = agent;
  }

  get wire(): Readonly<WireCounters> {
    return {
      bytesIn: this.agent.bytesIn,
      bytesOut: this.agent.bytesOut,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
    };
  }

  /** The engine.io transport under the connection now: 'polling' until an upgrade, if any. */
  get carrier(): string | null {
    return this.socket.connected ? this.socket.io.engine.transport.name : null;
  }

  protected override async afterClose(): Promise<void> {
    await this.agent.settle(CLOSE_GRACE_MS);
  }
}
