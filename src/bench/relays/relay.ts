/**
 * A bare relay: what a transport's own library does with the scale bench's message pattern
 * (a publisher at 60 Hz per game, two subscribers each, their acks back), with no game behind
 * it. It speaks the same framing as pong's gateways, so the same load generator drives both.
 */
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { parseTopic } from '../../protocol/topics.js';
import type { HostUrls } from '../ipc.js';

export type AckSink = (topic: string, payload: string) => void;

export interface BareRelay {
  urls: HostUrls;
  /** Sends one frame to every subscriber of `topic`. */
  publish(topic: string, payload: string): void;
  stop(): Promise<void>;
}

export function isAckTopic(topic: string): boolean {
  return parseTopic(topic)?.kind === 'ack';
}

export async function listenHttp(): Promise<{ http: Server; url: string }> {
  const http = createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  return { http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

export async function closeHttp(http: Server): Promise<void> {
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}

/** Aedes on a free loopback port, as pong's embedded broker runs it (Nagle off, or small frames wait on delayed ACKs). */
export async function listenAedes(): Promise<{ broker: Aedes; url: string; stop(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    broker,
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
