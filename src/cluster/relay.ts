/**
 * The local bus and the cluster, both ways, through Redis pub/sub, three channels per game
 * (keys.ts): from its owner, to its owner, beside its owner.
 *
 * Out: what an owned game's room publishes goes from its owner, its retained messages through
 * the commit script, fenced; what this node's clients publish for a game owned elsewhere goes
 * to its owner; what they publish for a game owned here goes beside it, for observers elsewhere
 * (never an ack: nobody but the owner reads those). A frame or a paddle (QoS 0, not retained)
 * that no node received is not published again for a moment: a game whose players are all on
 * its owner costs Redis nothing at 60 Hz.
 * In: the node listens to what it needs and nothing it sent itself: to its owned games' "to"
 * channels; to a game's "from" channel while a client here wants the server's side of it (or
 * waits for a seat answer), and to its "to" and "beside" channels while one wants its clients'
 * (InterestCounter); and hands what it hears to its bus as 'cluster'. A game's retained
 * messages are read from Redis as the interest starts. A server message under an older fence
 * than one already seen is a deposed owner's: dropped.
 */
import type { Redis } from 'ioredis';
import type { BusMessage, Sender, TopicBus } from '../bus/bus.js';
import { ALL_GAMES, type InterestCounter } from '../bus/interest.js';
import { BoundedMemo } from '../protocol/bounded-memo.js';
import { DropCounter } from '../protocol/drop-counter.js';
import { parseTopic } from '../protocol/topics.js';
import { EnvelopeCodec, type Envelope } from './envelope.js';
import { allGamesPattern, fenceKey, FLOWS, gameChannel, gameOfChannel, KEYS, recordKey, retainedKey, type Flow } from './keys.js';
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
/** How long a QoS 0 message nobody received keeps its channel quiet before one is tried again. */
const QUIET_MS = 250;

export class Relay {
  readonly drops = new DropCounter();
  /** Messages sent to and received from Redis (the bench's commands per game); `quieted`: not sent, nobody listening. */
  readonly counts = { published: 0, committed: 0, received: 0, quieted: 0 };
  private readonly highestFence = new Map<string, number>();
  /** The channels, and the flows of every game (patterns), subscribed now. */
  private readonly channels = new Set<string>();
  private readonly patterns = new Set<Flow>();
  /** Games a client here joined, owned elsewhere: their answers come from the owner, until the timer. */
  private readonly awaiting = new Map<string, NodeJS.Timeout>();
  /** Channel → until when a QoS 0 message is not worth publishing on it (nobody received the last). */
  private readonly quietUntil = new Map<string, number>();
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
      const game = gameOfChannel(channel);
      if (game === null) return;
      // With the flow's pattern subscribed, each message also comes as a pmessage: read it once.
      if (!this.patterns.has(game.flow)) this.fromRedis(channel, text);
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
    for (const timer of this.awaiting.values()) clearTimeout(timer);
    this.awaiting.clear();
  }

  /**
   * This node now owns the game: it listens to what comes to it (resolved once subscribed), no
   * longer to what its room will publish itself, and puts the game's retained messages, as the
   * last owner left them, on the bus until its room publishes its own.
   */
  async own(gameId: string, fence: number): Promise<void> {
    this.highestFence.set(gameId, Math.max(fence, this.highestFence.get(gameId) ?? 0));
    await this.sync(gameId);
    try {
      await this.loadRetained([gameId]);
    } catch {
      this.drops.record('redis-down');
    }
  }

  /**
   * A client here joins a game owned elsewhere: its channel is subscribed before the join goes
   * on, so the seat answer cannot pass by first (the broker may tell of the client's own
   * subscription only after its join). Kept for a while, then only if a client wants it.
   */
  async expectAnswer(gameId: string): Promise<void> {
    const before = this.awaiting.get(gameId);
    if (before !== undefined) clearTimeout(before);
    const timer = setTimeout(() => {
      this.awaiting.delete(gameId);
      void this.sync(gameId);
    }, ANSWER_WAIT_MS);
    timer.unref();
    this.awaiting.set(gameId, timer);
    await this.sync(gameId);
  }

  /** The game is no longer ours: its channels stay only while a client here wants them. */
  disown(gameId: string): void {
    for (const flow of FLOWS) this.quietUntil.delete(gameChannel(gameId, flow));
    void this.sync(gameId);
  }

  /** The wanted channels again, after Redis came back (a subscribe made while it was away failed). */
  private async resubscribe(): Promise<void> {
    const games = new Set([...this.options.owned.keys(), ...this.options.interest.games(), ...this.awaiting.keys()]);
    this.channels.clear();
    this.patterns.clear();
    for (const game of games) await this.sync(game);
    await this.syncEverything();
  }

  /** Whether this node should hear a flow of a game now. */
  private wants(gameId: string, flow: Flow): boolean {
    const owned = this.options.owned.has(gameId);
    const interest = this.options.interest;
    switch (flow) {
      case 'fromOwner':
        return !owned && (interest.has(gameId, 'server') || this.awaiting.has(gameId));
      case 'toOwner':
        return owned || interest.has(gameId, 'client');
      case 'besideOwner':
        return !owned && interest.has(gameId, 'client');
    }
  }

  private async sync(gameId: string): Promise<void> {
    for (const flow of FLOWS) {
      const channel = gameChannel(gameId, flow);
      const wanted = this.wants(gameId, flow);
      try {
        if (wanted && !this.channels.has(channel)) {
          this.channels.add(channel);
          await this.sub.subscribe(channel);
          if (flow === 'fromOwner') await this.loadRetained([gameId]);
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
  }

  private async syncEverything(): Promise<void> {
    const interest = this.options.interest;
    for (const flow of FLOWS) {
      const wanted = interest.everything(flow === 'fromOwner' ? 'server' : 'client');
      try {
        if (wanted && !this.patterns.has(flow)) {
          await this.sub.psubscribe(allGamesPattern(flow));
          this.patterns.add(flow);
          if (flow === 'fromOwner') await this.loadRetained(await this.cmd.smembers(KEYS.games));
        } else if (!wanted && this.patterns.has(flow)) {
          this.patterns.delete(flow);
          await this.sub.punsubscribe(allGamesPattern(flow));
        }
      } catch {
        this.drops.record('redis-down');
      }
    }
  }

  /** A game's retained messages, as Redis keeps them for the cluster, onto the local bus. */
  private async loadRetained(gameIds: readonly string[]): Promise<void> {
    for (const gameId of gameIds) {
      const stored = await this.cmd.hgetall(retainedKey(gameId));
      for (const text of Object.values(stored)) this.fromRedis(gameChannel(gameId, 'fromOwner'), text, true);
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
      else this.publish(gameChannel(gameId, 'fromOwner'), text, message.qos === 0);
      return;
    }
    if (fence !== undefined) {
      // The room here has it. Acks are read by the owner alone; the rest is for observers elsewhere.
      if (parsed.kind === 'ack' || parsed.kind === 'watcherAck') return;
      this.publish(gameChannel(gameId, 'besideOwner'), this.codec.encode(this.envelope(message, 0, false)), message.qos === 0);
      return;
    }
    // A join for a game owned elsewhere goes to its owner's node channel (ClusterNode's placement), never twice.
    if (parsed.kind === 'join') return;
    this.publish(gameChannel(gameId, 'toOwner'), this.codec.encode(this.envelope(message, 0, false)), false);
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
   * `quietable`: a message worth nothing late (QoS 0) on a channel that may have no listener:
   * when nobody received one, the next are not sent for QUIET_MS.
   */
  private publish(channel: string, text: string, quietable: boolean): void {
    if (quietable) {
      const until = this.quietUntil.get(channel);
      if (until !== undefined && performance.now() < until) {
        this.counts.quieted += 1;
        return;
      }
    }
    this.counts.published += 1;
    this.outbox.push(channel, text, quietable ? channel : '');
    if (this.outbox.length === 3) queueMicrotask(this.flush);
  }

  /** Channel, text, and the channel again when quietable ('' when not), for each publish. */
  private readonly outbox: string[] = [];
  private readonly heard = (channel: string, receivers: unknown) => {
    if (channel === '') return;
    if (receivers === 0) this.quietUntil.set(channel, performance.now() + QUIET_MS);
    else this.quietUntil.delete(channel);
  };
  private readonly flush = () => {
    const outbox = this.outbox.splice(0);
    if (outbox.length === 3) {
      const quiet = outbox[2]!;
      this.cmd
        .publish(outbox[0]!, outbox[1]!)
        .then((receivers) => this.heard(quiet, receivers))
        .catch(this.onPublishFailed);
      return;
    }
    const pipeline = this.cmd.pipeline();
    for (let i = 0; i + 2 < outbox.length; i += 3) pipeline.publish(outbox[i]!, outbox[i + 1]!);
    pipeline
      .exec()
      .then((results) => {
        for (let i = 0; results !== null && i < results.length; i++) this.heard(outbox[i * 3 + 2]!, results[i]![1]);
      })
      .catch(this.onPublishFailed);
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
        gameChannel(gameId, 'fromOwner'),
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
    const game = gameOfChannel(channel);
    if (game === null) return this.drops.record('bad-channel');
    const gameId = game.gameId;
    const decoded = this.codec.decode(text);
    if (!decoded.ok) return this.drops.record(decoded.reason);
    const envelope = decoded.value;
    if (envelope.node === this.options.nodeId && !stored) return;
    // The owner's messages come from it, and nothing else does.
    if (envelope.server !== (game.flow === 'fromOwner')) return this.drops.record('envelope-wrong-channel');
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
