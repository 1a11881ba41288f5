/**
 * The MQTT transport in the browser: mqtt.js over WebSocket to the embedded broker's `/mqtt`
 * on the server's HTTP port, the terminal client's MqttClientCore over another stream. The
 * will is the CONNECT's Last Will, the seat token the CONNECT password (username `pong`), a
 * takeover the server's `$pong/taken-over` notice. The wire counters are the WebSocket
 * messages' bytes: the MQTT packets whole, headers included.
 */
import mqtt from 'mqtt';
import { DEFAULT_CONNECT_TIMEOUT_MS, MQTT_CLIENT_OPTIONS, MqttClientCore } from '../../transports/mqtt/client-core.js';
import type { ClientOptions, WireCounters } from '../../transports/transport.js';
import { socketUrl } from './server-urls.js';

function byteSize(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (data instanceof Blob) return data.size;
  return typeof data === 'string' ? data.length : 0;
}

/** The browser's WebSocket, its messages' bytes counted: the page can know what each carried. */
function countedSocket(address: string, protocols: string[], counters: WireCounters): WebSocket {
  const socket = new WebSocket(address, protocols);
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('message', (event: MessageEvent) => {
    counters.bytesIn += byteSize(event.data);
  });
  const send = socket.send.bind(socket);
  socket.send = (data) => {
    counters.bytesOut += byteSize(data);
    send(data);
  };
  return socket;
}

export class BrowserMqttClient extends MqttClientCore {
  private readonly counters: WireCounters;

  constructor(options: ClientOptions, path: string) {
    const counters: WireCounters = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 };
    const url = socketUrl(options.serverUrl, path, {});
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    super({
      client: mqtt.connect(url, {
        ...MQTT_CLIENT_OPTIONS,
        clientId: options.clientId,
        connectTimeout: connectTimeoutMs,
        // The page's own timers: mqtt.js's default runs its keep-alive in a blob worker, which
        // the page's content security policy (same origin only) refuses.
        timerVariant: 'native',
        createWebsocket: (socketAddress: string, protocols: string[]) => countedSocket(socketAddress, protocols, counters),
      }),
      counts: counters,
      connectTimeoutMs,
      // The page logs in to nothing but pong's broker: the seat token is its password.
      brokerPassword: false,
      unreachable: (reason) => `cannot reach MQTT over WebSocket: ${reason}`,
    });
    this.counters = counters;
  }

  get detail(): string | undefined {
    return this.events.detail;
  }

  get wire(): Readonly<WireCounters> {
    return this.counters;
  }
}
