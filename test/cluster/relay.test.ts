/**
 * The relay between a node's bus and Redis, with a real redis-server: what a game's owner
 * sends through Redis and to whom. Three channels per game, so no node hears back what it
 * sent; frames nobody listens to are not published at 60 Hz; a player's node is not sent
 * the other players' paddles.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopicBus } from '../../src/bus/bus.js';
import { InterestCounter, countingBus } from '../../src/bus/interest.js';
import { RedisLink } from '../../src/cluster/redis-link.js';
import { Relay } from '../../src/cluster/relay.js';
import { topics } from '../../src/protocol/topics.js';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis.js';

const available = redisAvailable();
let redis: RedisServer | null = null;
const closers: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  if (available) redis = await startRedis();
}, 30_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await redis?.teardown();
});

interface TestNode {
  bus: TopicBus;
  interest: InterestCounter;
  relay: Relay;
  owned: Map<string, number>;
}

async function node(nodeId: string, owned: Record<string, number> = {}): Promise<TestNode> {
  const bus = new TopicBus();
  const interest = new InterestCounter();
  const link = await RedisLink.connect(redis!.url, () => {});
  const ownedMap = new Map(Object.entries(owned));
  const relay = new Relay({ nodeId, bus, redis: link, interest, owned: ownedMap, record: () => null, lost: () => {}, closed: () => {} });
  relay.start();
  for (const [game, fence] of ownedMap) await relay.own(game, fence);
  closers.push(async () => {
    relay.stop();
    await link.close();
  });
  return { bus, interest, relay, owned: ownedMap };
}

async function publishCalls(): Promise<number> {
  const raw = new Redis(redis!.url);
  const info = await raw.info('commandstats');
  raw.disconnect();
  return Number(/cmdstat_publish:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 60 Hz ball frames from the owner's room for `seconds`. */
async function frames(owner: TestNode, game: string, seconds: number): Promise<void> {
  for (let seq = 1; seq <= seconds * 60; seq++) {
    owner.bus.publish(topics.ball(game), `{"x":1,"y":2,"dx":0.5,"dy":0.5,"timestamp":1,"seq":${seq}}`, { qos: 0 });
    await sleep(1000 / 60);
  }
}

describe.skipIf(!available)('cluster relay', () => {
  it('publishes no frame at 60 Hz that no node listens to, and sends them again as soon as one does', { timeout: 30_000 }, async () => {
    const owner = await node('owner-1', { quiet: 7 });
    const before = await publishCalls();
    await frames(owner, 'quiet', 1);
    const unheard = (await publishCalls()) - before;
    // One tried every 250 ms at most, not 60.
    expect(unheard).toBeGreaterThan(0);
    expect(unheard).toBeLessThanOrEqual(8);
    expect(owner.relay.counts.quieted).toBeGreaterThan(50);

    // A player joins on another node: its node listens to the owner's messages of the game.
    const other = await node('other-1');
    const received: string[] = [];
    const viewer = countingBus(other.bus, other.interest);
    viewer.subscribe(topics.ball('quiet'), (message) => received.push(message.payload));
    await sleep(300);
    await frames(owner, 'quiet', 1);
    // Within the quiet 250 ms, then every frame.
    expect(received.length).toBeGreaterThanOrEqual(40);
  });

  it('sends no node back what it published, and a player\'s node not the other player\'s paddles', { timeout: 30_000 }, async () => {
    const owner = await node('owner-2', { split: 9 });
    const player2Node = await node('p2-node');
    const observerNode = await node('observer-node');
    // Player 2 on its node subscribes as a player does: the server's messages only.
    const p2 = countingBus(player2Node.bus, player2Node.interest);
    const p2Heard: string[] = [];
    for (const filter of [topics.ball('split'), topics.state('split'), topics.stats('split')]) p2.subscribe(filter, (message) => p2Heard.push(message.topic));
    // An observer (mosquitto_sub -t '#') on a third node: everything.
    const observer = countingBus(observerNode.bus, observerNode.interest);
    const observed: string[] = [];
    observer.subscribe('pong/game/split/#', (message) => observed.push(message.topic));
    // What the owner hears from Redis, and player 2's node.
    const ownerHeard: string[] = [];
    owner.bus.subscribe('pong/game/split/#', (message) => {
      if (message.origin === 'cluster') ownerHeard.push(message.topic);
    });
    const p2NodeHeard: string[] = [];
    player2Node.bus.subscribe('pong/game/split/#', (message) => {
      if (message.origin === 'cluster') p2NodeHeard.push(message.topic);
    });
    await sleep(300);

    for (let i = 0; i < 20; i++) {
      owner.bus.publish(topics.ball('split'), `{"seq":${i}}`, { qos: 0 });
      // Player 1 is on the owner; player 2 on its node.
      owner.bus.publish(topics.paddle('split', 1), `{"y":${i}}`, { qos: 0, origin: 'ws', sender: { clientId: 'p1', address: '127.0.0.1' } });
      player2Node.bus.publish(topics.paddle('split', 2), `{"y":${i}}`, { qos: 0, origin: 'ws', sender: { clientId: 'p2', address: '127.0.0.1' } });
      player2Node.bus.publish(topics.ack('split', 2), `{"seq":${i}}`, { qos: 0, origin: 'ws', sender: { clientId: 'p2', address: '127.0.0.1' } });
      await sleep(1000 / 60);
    }
    await sleep(300);
    const count = (list: string[], topic: string) => list.filter((t) => t === topic).length;
    // The owner hears player 2's paddles and acks, never its own frames or player 1's paddles back.
    expect(count(ownerHeard, topics.paddle('split', 2))).toBe(20);
    expect(count(ownerHeard, topics.ack('split', 2))).toBe(20);
    expect(count(ownerHeard, topics.ball('split'))).toBe(0);
    expect(count(ownerHeard, topics.paddle('split', 1))).toBe(0);
    // Player 2's node hears the frames, not its own paddles and acks back, not player 1's paddles.
    expect(count(p2NodeHeard, topics.ball('split'))).toBe(20);
    expect(count(p2Heard, topics.ball('split'))).toBe(20);
    expect(p2NodeHeard.filter((t) => t !== topics.ball('split'))).toEqual([]);
    // The observer hears everything but the acks of the owner's clients (there are none here).
    expect(count(observed, topics.ball('split'))).toBe(20);
    expect(count(observed, topics.paddle('split', 1))).toBe(20);
    expect(count(observed, topics.paddle('split', 2))).toBe(20);
    expect(count(observed, topics.ack('split', 2))).toBe(20);
  });
});
