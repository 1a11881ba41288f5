/**
 * An Aedes broker inside the server process. The bus publishes into it in-process
 * (aedes.publish, which reports no client), and only publishes that arrive from a connected
 * client are handed back: that is what keeps the bridge free of echoes.
 */
import net, { type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { TransportError } from '../transport.js';
import { BRIDGED_PREFIX, type BrokerLink, type BrokerPublish } from './broker-link.js';
import { mqttUrl } from './url.js';

export async function startEmbeddedBroker(host: string, port: number, log: (line: string) => void): Promise<BrokerLink> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    // Aedes leaves Nagle on; 60 Hz frames of ~70 bytes would wait on delayed ACKs.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  // Aedes emits 'error' for persistence failures; its typings list only its own events.
  broker.addListener('error', (error: Error) => log(`mqtt: embedded broker error: ${error.message}`));
  try {
    await listen(server, host, port);
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw listenError(error as NodeJS.ErrnoException, host, port);
  }
  const address = server.address() as net.AddressInfo;
  let handler: ((message: BrokerPublish) => void) | null = null;
  broker.on('publish', (packet, client) => {
    if (client === null || handler === null || !packet.topic.startsWith(BRIDGED_PREFIX)) return;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    handler({ topic: packet.topic, payload, qos: packet.qos === 0 ? 0 : 1, retain: packet.retain });
  });

  return {
    url: mqttUrl(host, address.port),
    get connections() {
      return broker.connectedClients;
    },
    publish(message) {
      broker.publish(
        { cmd: 'publish', topic: message.topic, payload: Buffer.from(message.payload), qos: message.qos, retain: message.retain, dup: false },
        (error) => {
          if (error) log(`mqtt: embedded broker refused ${message.topic}: ${error.message}`);
        },
      );
    },
    onPublish(next) {
      handler = next;
    },
    async close() {
      handler = null;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await closed;
    },
  };
}

function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): TransportError {
  if (error.code === 'EADDRINUSE') {
    return new TransportError(
      'EADDRINUSE',
      `port ${port} is in use — another broker may be running: pick another with --mqtt-port, or use it with --broker ${mqttUrl(host, port)}`,
    );
  }
  return new TransportError('EUNREACHABLE', `cannot listen on ${mqttUrl(host, port)} — ${error.code ?? error.message}`);
}
