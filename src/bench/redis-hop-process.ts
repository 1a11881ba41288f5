/**
 * The floor under `pong bench --cluster`'s CPU figure: what crossing Redis costs with nothing
 * else, two bare processes passing a cluster's message pattern through Redis pub/sub with
 * ioredis, as the nodes do — no game, no broker, no players, no envelope checks.
 *
 * - `owner`: every 1000/60 ms, one frame per game (the size of a node's ball envelope), all
 *   games' frames in one pipeline; reads from each game's acks the time its frame was sent:
 *   the round trip through Redis and back, the floor of what a player on another node adds.
 * - `peer`: listens to each game's frames and answers each with an ack (a node's ack envelope:
 *   its header, and the frame's own fields as the payload), each its own write, as acks from
 *   separate players arrive at a node.
 *
 * Run by the bench as `node redis-hop-process.js <owner|peer> <redis url> <games>`; prints
 * `ready` once subscribed, and runs until killed. The owner forgets its round trips on SIGUSR2
 * and prints `rtt <p50> <p99> <count>` (ms) of those since on SIGUSR1.
 */
import { Redis } from 'ioredis';

const [role, url, gamesText] = process.argv.slice(2);
const games = Array.from({ length: Number(gamesText) }, (_, i) => `hop-${i}`);
const options = { lazyConnect: true, enableAutoPipelining: false, enableOfflineQueue: false, maxRetriesPerRequest: 0 };
const command = new Redis(url!, options);
const subscriber = new Redis(url!, options);

const frameHeader = (game: string) => `{"n":"bench-a","f":1796649763257,"s":1,"t":"pong/game/${game}/ball","q":0,"r":0}`;
const ackHeader = (game: string) => `{"n":"bench-b","f":0,"s":0,"t":"pong/game/${game}/ack/p2","q":0,"r":0,"c":"bot-${game}-p2","a":"127.0.0.1"}`;
const now = () => performance.timeOrigin + performance.now();

let rtts: number[] = [];
process.on('SIGUSR2', () => (rtts = []));
process.on('SIGUSR1', () => {
  const sorted = [...rtts].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  process.stdout.write(`rtt ${at(0.5).toFixed(3)} ${at(0.99).toFixed(3)} ${sorted.length}\n`);
});

let seq = 0;
async function main(): Promise<void> {
  await Promise.all([command.connect(), subscriber.connect()]);
  if (role === 'owner') {
    await subscriber.subscribe(...games.map((game) => `hop:c:${game}`));
    subscriber.on('message', (_channel: string, text: string) => {
      const body = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { timestamp: number };
      rtts.push(now() - body.timestamp);
    });
    const headers = games.map(frameHeader);
    setInterval(() => {
      seq += 1;
      const pipeline = command.pipeline();
      for (let i = 0; i < games.length; i++) {
        const body = `{"x":${(20 + 18 * Math.sin(seq / 60)).toFixed(3)},"y":${(6 + 5 * Math.cos(seq / 46)).toFixed(3)},"dx":0.5,"dy":-0.25,"timestamp":${now()},"seq":${seq},"p1y":4.5,"p2y":4.5}`;
        pipeline.publish(`hop:s:${games[i]}`, `${headers[i]}\n${body}`);
      }
      pipeline.exec().catch(() => {});
    }, 1000 / 60);
  } else {
    await subscriber.subscribe(...games.map((game) => `hop:s:${game}`));
    const acks = new Map(games.map((game) => [`hop:s:${game}`, { channel: `hop:c:${game}`, header: ackHeader(game) }]));
    subscriber.on('message', (channel: string, text: string) => {
      const ack = acks.get(channel);
      if (ack !== undefined) command.publish(ack.channel, `${ack.header}\n${text.slice(text.indexOf('\n') + 1)}`).catch(() => {});
    });
  }
  process.stdout.write('ready\n');
}

for (const connection of [command, subscriber]) connection.on('error', () => {});
main().catch((error: unknown) => {
  process.stderr.write(`redis-hop: ${(error as Error).message}\n`);
  process.exit(1);
});
