import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsClient } from '../../src/transports/ws/client.js';
import type { ConnectionStatus } from '../../src/transports/transport.js';

/** A real ws server on a free port that accepts clients and then does whatever `behave` says. */
async function server(behave: (socket: WebSocket) => void): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let connections = 0;
  wss.on('connection', (socket) => {
    connections += 1;
    behave(socket);
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function client(url: string): { client: WsClient; statuses: ConnectionStatus[] } {
  // Heartbeat 80 ms: the client gives up on a server silent for 200 ms.
  const ws = new WsClient({ serverUrl: url, brokerUrl: 'mqtt://127.0.0.1:1', clientId: 'live-1', extra: { wsHeartbeatMs: 80, reconnectBaseMs: 50, reconnectMaxMs: 50 } });
  const statuses: ConnectionStatus[] = [];
  ws.onStatus((status) => statuses.push(status));
  cleanups.push(() => ws.close());
  return { client: ws, statuses };
}

describe('ws client liveness', () => {
  it('gives up on a server that goes silent, and connects again', async () => {
    const silent = await server(() => {});
    cleanups.push(silent.close);
    const { client: ws, statuses } = client(silent.url);
    await ws.connect();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(statuses).toContain('reconnecting');
    expect(silent.connections()).toBeGreaterThanOrEqual(2);
  });

  it('keeps a connection whose server keeps talking, however long', async () => {
    const talking = await server((socket) => {
      const timer = setInterval(() => socket.send('msg pong/game/a/ball\n{}'), 30);
      socket.on('close', () => clearInterval(timer));
    });
    cleanups.push(talking.close);
    const { client: ws, statuses } = client(talking.url);
    let frames = 0;
    ws.onMessage(() => (frames += 1));
    await ws.connect();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(frames).toBeGreaterThan(10);
    expect(statuses).not.toContain('reconnecting');
    expect(talking.connections()).toBe(1);
  });
});
