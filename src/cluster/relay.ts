/**
 * The local bus and the cluster, both ways, through Redis pub/sub, one channel per game.
 *
 * Out: what this node's clients publish for a game goes to the game's channel (whoever owns
 * the game reads it there), except acks for a game owned here, which nobody else reads; what
 * an owned game's room publishes goes there too, its retained messages through the commit
 * script, fenced. In: the node listens to a game's channel only while it owns the game or one
 * of its clients subscribes to it (InterestCounter), and hands what other nodes sent to its
 * bus as 'cluster'. A game's retained messages are read from Redis as the interest starts.
 * A server message under an older fence than one already seen is a deposed owner's: dropped.
 */
import type { Redis } from 'ioredis';
import type { BusMessage, Sender, TopicBus } from '../bus/bus.js';
import { ALL_GAMES, type InterestCounter } from '../bus/interest.js';
import { BoundedMemo } from '../protocol/bounded-memo.js';
import { DropCounter } from '../protocol/drop-counter.js';
import { parseTopic } from '../protocol/topics.js';
import { EnvelopeCodec, type Envelope } from './envelope.js';
import { fenceKey, gameChannel, gameOfChannel, KEYS, recordKey, retainedKey } from './keys.js';
import type { RedisLink } from './redis-link.js';

export const CLUSTER_ORIGIN = 'cluster';

/**
 * A client of another node, as this node's rooms know it: its id qualified by its node. Client
 * ids are unique per node, not across the cluster, so a bare id from elsewhere proves nothing:
 * qualified, it never equals a seat holder's id, and the seat is proved by its token instead
 * (the room asks such a client for its token in every message, as through an external broker).
 * '@' is not allowed in client ids: no local client can take one of these.
 */
export function remoteConnection(clientId: string, nodeId: string): string {
  return `${clientId}@${nodeId}`;
}

export interface RelayOptions {
  nodeId: string;
  bus: TopicBus;
  redis: RedisLink;
  interest: InterestCounter;
  /** The fence of each game this node owns. */
  owned: ReadonlyMap<string, number>;
  /** What to save of a game on every state change: its record, or null (no game in progress). */
  record: (gameId: string) => string | null | undefined;
  /** A commit was refused (the fence moved on), or a newer owner spoke: the game is not ours. */
  lost: (gameId: string, why: string) => void;
  /** The owner's room closed (its state cleared): the lease can go. */
  closed: (gameId: string) => void;
}

const MAX_SENDERS = 4096;
/** How long a joining client's game channel is kept without the client subscribing to it. */
const ANSWER_WAIT_MS = 10_000;

export class Relay {
  readonly drops = new DropCounter();
  /** Messages sent to and received from Redis (the bench's commands per game). */
  readonly counts = { published: 0, committed: 0, received: 0 };
  private readonly highestFence = new Map<string, number>();
  private readonly channels = new Set<string>();
  private everything = false;
  private unsubscribeBus: (() => void) | null = null;
  private readonly senders = new BoundedMemo<string, Sender>(MAX_SENDERS, (key) => {
    const tab = key.indexOf('\t');
    const clientId = key.slice(0, tab);
    return Object.freeze({ clientId: clientId === '\u0000' ? null : clientId, address: key.slice(tab + 1) });
  });
  private readonly senderOf = (clientId: string | null, address: string) => this.senders.get(`${clientId ?? '\u0000'}\t${address}`);
  private readonly onPublishFailed = () => this.drops.record('redis-down');
  private readonly codec = new EnvelopeCodec(this.senderOf);

  constructor(private readonly options: RelayOptions) {}

  private get sub(): Redis {
    return this.options.redis.subscriber;
  }

  private get cmd(): Redis {
    return this.options.redis.command;
  }

  start(): void {
    this.sub.on('message', (channel: string, text: string) => {
      // The node's own channels (its requests, clients gone) share this connection: theirs, not ours.
      if (gameOfChannel(channel) === null) return;
      // With the wildcard subscribed, each message also comes as a pmessage: read it once.
      if (!this.everything) this.fromRedis(channel, text);
    });
    this.sub.on('pmessage', (_pattern: string, channel: string, text: string) => this.fromRedis(channel, text));
    this.options.interest.onChange((game) => {
      if (game === ALL_GAMES) void this.syncEverything();
      else void this.sync(game);
    });
    this.options.redis.onUp(() => void this.resubscribe());
    // The pub/sub connection may come back after the command one: a subscribe tried between fails.
    this.sub.on('ready', () => void this.resubscribe());
    this.unsubscribeBus = this.options.bus.subscribe('pong/game/#', (message) => this.fromBus(message));
    void this.syncEverything();
    for (const game of this.options.interest.games()) void this.sync(game);
  }

  stop(): void {
    this.unsubscribeBus?.();
    this.unsubscribeBus = null;
  }

  /** This node now owns the game: it listens to its channel (resolved once subscribed). */
  async own(gameId: string, fence: number): Promise<void> {
    this.highestFence.set(gameId, Math.max(fence, this.highestFence.get(gameId) ?? 0));
    await this.sync(gameId);
  }

  /**
   * A client here joins a game owned elsewhere: its channel is subscribed before the join goes
   * on, so the seat answer cannot pass by first (the broker may tell of the client's own
   * subscription only after its join). Kept for a while, then only if a client wants it.
   */
  async expectAnswer(gameId: string): Promise<void> {
    const channel = gameChannel(gameId);
    if (this.channels.has(channel) || this.everything) return;
    this.channels.add(channel);
    try {
      await this.sub.subscribe(channel);
      await this.loadRetained([gameId]);
    } catch {
      this.channels.delete(channel);
      this.drops.record('redis-down');
      return;
    }
    const timer = setTimeout(() => void this.sync(gameId), ANSWER_WAIT_MS);
    timer.unref();
  }

  /** The game is no longer ours: its channel stays only while a client here wants it. */
  disown(gameId: string): void {
    void this.sync(gameId);
  }

  /** The wanted channels again, after Redis came back (a subscribe made while it was away failed). */
  private async resubscribe(): Promise<void> {
    const wanted = new Set([...this.options.owned.keys(), ...this.options.interest.games()]);
    this.channels.clear();
    for (const game of wanted) await this.sync(game);
    if (this.everything) {
      this.everything = false;
      await this.syncEverything();
    }
  }

  private async sync(gameId: string): Promise<void> {
    const channel = gameChannel(gameId);
    const wanted = this.options.owned.has(gameId) || this.options.interest.has(gameId);
    try {
      if (wanted && !this.channels.has(channel)) {
        this.channels.add(channel);
        await this.sub.subscribe(channel);
        await this.loadRetained([gameId]);
      } else if (!wanted && this.channels.has(channel)) {
        this.channels.delete(channel);
        await this.sub.unsubscribe(channel);
      }
    } catch {
      // Redis is away: resubscribe() tries again when it is back.
      if (wanted) this.channels.delete(channel);
      this.drops.record('redis-down');
    }
  }

  private async syncEverything(): Promise<void> {
    const wanted = this.options.interest.everything;
    try {
      if (wanted && !this.everything) {
        await this.sub.psubscribe(KEYS.allGames);
        this.everything = true;
        await this.loadRetained(await this.cmd.smembers(KEYS.games));
      } else if (!wanted && this.everything) {
        this.everything = false;
        await this.sub.punsubscribe(KEYS.allGames);
      }
    } catch {
      this.drops.record('redis-down');
    }
  }

  /** A game's retained messages, as Redis keeps them for the cluster, onto the local bus. */
  private async loadRetained(gameIds: readonly string[]): Promise<void> {
    for (const gameId of gameIds) {
      const stored = await this.cmd.hgetall(retainedKey(gameId));
      for (const text of Object.values(stored)) this.fromRedis(gameChannel(gameId), text, true);
    }
  }

  private fromBus(message: BusMessage): void {
    if (message.origin === CLUSTER_ORIGIN) return;
    const parsed = parseTopic(message.topic);
    if (parsed === null) return;
    const gameId = parsed.gameId;
    const fence = this.options.owned.get(gameId);
    if (message.origin === 'server') {
      // A room runs only where its game is owned; anything else is no owner's to send.
      if (fence === undefined) return;
      const text = this.codec.encode(this.envelope(message, fence, true));
      if (message.retain) this.commit(gameId, parsed.kind, fence, message, text);
      else this.publish(gameId, text);
      return;
    }
    // Acks are read by the owner alone: for a game owned here they need go nowhere. A join for
    // a game owned elsewhere goes to its owner's node channel (ClusterNode's placement), never twice.
    if (fence !== undefined && (parsed.kind === 'ack' || parsed.kind === 'watcherAck')) return;
    if (fence === undefined && parsed.kind === 'join') return;
    this.publish(gameId, this.codec.encode(this.envelope(message, 0, false)));
  }

  private envelope(message: BusMessage, fence: number, server: boolean): Envelope {
    return {
      node: this.options.nodeId,
      fence,
      server,
      topic: message.topic,
      payload: message.payload,
      qos: message.qos,
      retain: message.retain,
      to: message.to,
      sender: message.sender,
    };
  }

  /**
   * Publishes go out together at the end of the current turn of the event loop (a microtask):
   * one write for every room's frame of a tick, and no wait for a later phase of the loop
   * (ioredis's auto-pipelining waits for setImmediate, a millisecond on a busy loop).
   */
  private publish(gameId: string, text: string): void {
    this.counts.published += 1;
    this.outbox.push(gameChannel(gameId), text);
    if (this.outbox.length === 2) queueMicrotask(this.flush);
  }

  private readonly outbox: string[] = [];
  private readonly flush = () => {
    const outbox = this.outbox.splice(0);
    if (outbox.length === 2) {
      this.cmd.publish(outbox[0]!, outbox[1]!).catch(this.onPublishFailed);
      return;
    }
    const pipeline = this.cmd.pipeline();
    for (let i = 0; i + 1 < outbox.length; i += 2) pipeline.publish(outbox[i]!, outbox[i + 1]!);
    pipeline.exec().catch(this.onPublishFailed);
  };

  private commit(gameId: string, kind: string, fence: number, message: BusMessage, text: string): void {
    const cleared = message.payload.length === 0;
    // The state carries the game's record; other retained messages (stats) leave it as it is.
    let record = '-';
    if (kind === 'state') {
      const saved = this.options.record(gameId);
      // undefined: the room is still being made (its first state): its record is the one it came from.
      if (saved !== undefined) record = saved ?? '';
    }
    this.counts.committed += 1;
    this.options.redis
      .run('commit', [fenceKey(gameId), recordKey(gameId), retainedKey(gameId)], [
        String(fence),
        record,
        message.topic,
        text,
        gameChannel(gameId),
        gameId,
        cleared ? '1' : '0',
      ])
      .then((result) => {
        if (result !== 1) this.options.lost(gameId, 'its fence moved on (another node owns it)');
        else if (cleared && kind === 'state') this.options.closed(gameId);
      })
      .catch(this.onPublishFailed);
  }

  private fromRedis(channel: string, text: string, stored = false): void {
    const gameId = gameOfChannel(channel);
    if (gameId === null) return this.drops.record('bad-channel');
    const decoded = this.codec.decode(text);
    if (!decoded.ok) return this.drops.record(decoded.reason);
    const envelope = decoded.value;
    if (envelope.node === this.options.nodeId && !stored) return;
    const sender = envelope.sender;
    const from =
      sender === undefined || sender.clientId === null || envelope.node === this.options.nodeId
        ? sender
        : this.senderOf(remoteConnection(sender.clientId, envelope.node), sender.address);
    const parsed = parseTopic(envelope.topic);
    if (parsed === null || parsed.gameId !== gameId) return this.drops.record('envelope-wrong-game');
    this.counts.received += 1;
    if (envelope.server) {
      const highest = this.highestFence.get(gameId) ?? 0;
      if (envelope.fence < highest) return this.drops.record('stale-fence');
      this.highestFence.set(gameId, envelope.fence);
      const mine = this.options.owned.get(gameId);
      if (mine !== undefined && envelope.fence > mine) this.options.lost(gameId, `node ${envelope.node} owns it under a newer fence`);
      // Our own retained message read back from Redis: the bus has it already.
      if (envelope.node === this.options.nodeId) return;
    }
    // For one client of one node (a seat answer to another node's client): that node's alone.
    let to = envelope.to;
    if (to !== undefined && to.includes('@')) {
      const at = to.lastIndexOf('@');
      if (to.slice(at + 1) !== this.options.nodeId) return;
      to = to.slice(0, at);
    }
    this.options.bus.publish(envelope.topic, envelope.payload, {
      qos: envelope.qos,
      retain: envelope.retain,
      origin: CLUSTER_ORIGIN,
      ...(from !== undefined ? { sender: from } : {}),
      ...(to !== undefined ? { to } : {}),
    });
  }
}
