/**
 * The Socket.io transport in the browser: the terminal client's SocketIoClientCore at
 * /socket.io/, WebSocket only, with the same events (docs/PROTOCOL.md). The wire counters are
 * the Engine.IO packets the page received and sent, as text: what each WebSocket message
 * carried.
 */
import { DEFAULT_CONNECT_TIMEOUT_MS, SocketIoClientCore } from '../../transports/socketio/client-core.js';
import type { ClientOptions, WireCounters } from '../../transports/transport.js';
import { utf8Bytes } from './utf8-bytes.js';

interface EnginePacket {
  type: string;
  data?: unknown;
}

/** An Engine.IO packet's size on the wire: its type digit and its text. */
function packetBytes(packet: EnginePacket): number {
  return 1 + (typeof packet.data === 'string' ? utf8Bytes(packet.data) : 0);
}

export class BrowserSocketIoClient extends SocketIoClientCore {
  private bytesIn = 0;
  private bytesOut = 0;

  constructor(options: ClientOptions) {
    super({
      serverUrl: options.serverUrl,
      clientId: options.clientId,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      managerOptions: {},
    });
    const manager = this.socket.io;
    manager.on('open', () => {
      manager.engine.on('packet', (packet: EnginePacket) => {
        this.bytesIn += packetBytes(packet);
      });
      manager.engine.on('packetCreate', (packet: EnginePacket) => {
        this.bytesOut += packetBytes(packet);
      });
    });
  }

  get detail(): string | undefined {
    return this.events.detail;
  }

  get wire(): Readonly<WireCounters> {
    return { bytesIn: this.bytesIn, bytesOut: this.bytesOut, messagesIn: this.messagesIn, messagesOut: this.messagesOut };
  }
}
