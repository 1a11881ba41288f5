/**
 * A TCP proxy in front of a real Redis that holds back, by a fixed delay, everything a
 * connection sends once it has sent a SUBSCRIBE: a node behind it subscribes slowly while its
 * commands go at full speed. It widens, to a size a test can aim at, the moment between a node
 * taking a game and its subscription to the game's channel being in place.
 */
import net from 'node:net';

export interface SlowSubscriberProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function slowSubscriberProxy(redisUrl: string, delayMs: number): Promise<SlowSubscriberProxy> {
  const target = new URL(redisUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let subscriber = false;
    client.on('data', (chunk) => {
      subscriber ||= /SUBSCRIBE/i.test(chunk.toString('latin1'));
      // Timers of one duration fire in the order they were set: the stream keeps its order.
      if (subscriber) setTimeout(() => upstream.writable && upstream.write(chunk), delayMs);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.writable && client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
