/**
 * The machine floor: Node's net and nothing else. Pong's text framing (framed-topics.ts) in
 * length-prefixed messages over plain TCP, Nagle off: as little as any protocol over TCP has
 * to do. What a transport's library costs is what its floor adds to this one; what this one
 * costs is the machine's and Node's, and no transport measured on the same machine can do
 * better.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import { FramedTopics } from './framed-topics.js';
import { lengthPrefixed, LengthPrefixedReader } from './length-prefixed.js';
import type { AckSink, BareRelay } from './relay.js';

export async function startTcpRelay(onAck: AckSink): Promise<BareRelay> {
  const topics = new FramedTopics<Socket>(onAck);
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    const reader = new LengthPrefixedReader((text) => topics.receive(socket, text));
    socket.on('data', (chunk) => {
      // Not a stream of ours: no use reading on.
      if (!reader.push(chunk)) socket.destroy();
    });
    // Kept for the socket's life: an 'error' with no listener would end the process.
    socket.on('error', () => {});
    socket.once('close', () => {
      sockets.delete(socket);
      topics.drop(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    urls: { httpUrl: null, mqttUrl: null, tcpUrl: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}` },
    publish(topic, payload) {
      let framed: Buffer | null = null;
      topics.publish(topic, payload, (socket, frame) => socket.write((framed ??= lengthPrefixed(frame))));
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
