/**
 * One `pong serve --cluster` node: it owns the games whose lease it holds in Redis, runs
 * their rooms, renews their leases, takes over games left without an owner, places new games
 * on the least loaded node, and hands its games over when it stops (drain). The bus traffic
 * between nodes is the Relay's.
 *
 * Exactly one owner: a room runs here only after this node acquired the game's lease (and its
 * fence); a lease not renewed in time, a commit refused, or a newer fence heard stops the room
 * at once. Failover keeps the game: the room starts from the record the owner saved with each
 * state (score, serve, match length, seats and tokens), paused until its players re-join.
 */
import { randomBytes } from 'node:crypto';
import type { BusMessage, TopicBus } from '../bus/bus.js';
import type { InterestCounter } from '../bus/interest.js';
import { decodeSnapshot } from '../game/snapshot.js';
import type { RoomManager } from '../game/rooms.js';
import { isValidGameId, parseTopic } from '../protocol/topics.js';
import { encodeEnvelope, decodeEnvelope, type Envelope } from './envelope.js';
import { fenceKey, KEYS, leaseKey, nodeChannel, recordKey, seqKey } from './keys.js';
import { ClusterUnreachable, RedisLink } from './redis-link.js';
import { CLUSTER_ORIGIN, Relay, remoteConnection } from './relay.js';
import { LEASE_MS, NODE_TTL_MS, SAFETY_MS, seqMargin, TICK_MS } from './timing.js';

export interface ClusterNodeOptions {
  url: string;
  nodeId?: string;
  /** The address this node's clients should use, told to the others (a node's heartbeat carries it). */
  advertise?: string;
  bus: TopicBus;
  rooms: RoomManager;
  interest: InterestCounter;
  fps: number;
  log: (line: string) => void;
}

export function randomNodeId(): string {
  return `node-${randomBytes(3).toString('hex')}`;
}

/** A request another node sends this one. */
type NodeRequest = { kind: 'open'; game: string; join?: string; attempt?: number } | { kind: 'take'; game: string };

/** How often a join is placed again (its node gone, or the game taken meanwhile), and how far apart. */
const PLACE_ATTEMPTS = 5;
const PLACE_RETRY_MS = 150;
/** A node request: a join's envelope (header and payload) inside a small JSON object. */
const MAX_REQUEST_CHARS = 8192;

interface LiveNode {
  id: string;
  games: number;
  /** The address its clients should use (--advertise), or '' if it gave none. */
  advertise: string;
}

export class ClusterNode {
  readonly nodeId: string;
  readonly relay: Relay;
  /** game → the fence this node holds it under. */
  private readonly owned = new Map<string, number>();
  /** Games stopped while Redis was away, their last record: written back (fenced) once it is back. */
  private readonly pending = new Map<string, { fence: number; record: string; seq: number }>();
  /** Games being acquired, with the joins that came for them meanwhile. */
  private readonly opening = new Map<string, string[]>();
  /** Orphans seen by earlier scans: the second sighting claims whatever the assignment said. */
  private readonly orphanSightings = new Map<string, number>();
  private nodes: LiveNode[] = [];
  private timer: NodeJS.Timeout | null = null;
  private guard: NodeJS.Timeout | null = null;
  private ticking = false;
  /** When the last successful renewal was sent, on the monotonic clock (performance.now). */
  private lastRenewSentAt = 0;
  private stoppedForRedis = false;
  private draining = false;
  readonly counters = { acquired: 0, lost: 0, selfFenced: 0, handedOver: 0 };

  private constructor(
    private readonly options: ClusterNodeOptions,
    readonly redis: RedisLink,
  ) {
    this.nodeId = options.nodeId ?? randomNodeId();
    this.relay = new Relay({
      nodeId: this.nodeId,
      bus: options.bus,
      redis,
      interest: options.interest,
      owned: this.owned,
      record: (gameId) => this.recordOf(gameId),
      lost: (gameId, why) => this.lose(gameId, why),
      closed: (gameId) => void this.release(gameId),
    });
  }

  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    const redis = await RedisLink.connect(options.url, options.log);
    const node = new ClusterNode(options, redis);
    try {
      await node.claimId();
      await node.begin();
    } catch (error) {
      node.stopTimers();
      await redis.close();
      throw error;
    }
    return node;
  }

  /**
   * Two live nodes of one id would both renew the same leases and run the same games: refused.
   * A node of this id that was just killed is let go once its heartbeat lapses.
   */
  private async claimId(): Promise<void> {
    const key = `pong:node:${this.nodeId}`;
    const deadline = Date.now() + NODE_TTL_MS + 500;
    while ((await this.redis.command.exists(key)) === 1) {
      if (Date.now() > deadline) throw new ClusterUnreachable(`--node-id ${this.nodeId} is taken: a running node on ${this.redis.url} has it`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** For the server's report (pong/server/stats). */
  stats() {
    return {
      node: this.nodeId,
      games: this.owned.size,
      ...this.counters,
      dropped: this.relay.drops.snapshot(),
      // Every live node and where its clients go: what a client or a balancer can be told.
      nodes: this.nodes.map(({ id, games, advertise }) => ({ id, games, ...(advertise !== '' ? { advertise } : {}) })),
    };
  }

  /** The games this node owns now. */
  get games(): ReadonlyMap<string, number> {
    return this.owned;
  }

  /** Cluster mode's answer to a join for a game with no room here (RoomManager.placement). */
  placement(gameId: string, join: BusMessage): boolean {
    // A join relayed from another node is that node's to place.
    if (join.origin === CLUSTER_ORIGIN || this.draining) return false;
    void this.place(gameId, join);
    return false;
  }

  /** Keeps these games open somewhere in the cluster (`--game`), played or not. */
  async pin(games: readonly string[]): Promise<void> {
    if (games.length === 0) return;
    await this.redis.command.sadd(KEYS.pinned, ...games);
    await this.tick();
  }

  /** A client's connection ended here: its seats, wherever their games run, are left. */
  clientGone(clientId: string): void {
    this.redis.command.publish(KEYS.gone, remoteConnection(clientId, this.nodeId)).catch(() => {});
  }

  /** SIGTERM: stop taking games, hand each over (saved, released, offered to another node), leave. */
  async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    this.stopTimers();
    this.relay.stop();
    try {
      await this.redis.command.del(`pong:node:${this.nodeId}`);
      await this.redis.command.srem(KEYS.nodes, this.nodeId);
      await this.redis.command.hdel(KEYS.load, this.nodeId);
      const others = this.nodes.filter((node) => node.id !== this.nodeId).sort((a, b) => a.games - b.games || a.id.localeCompare(b.id));
      let next = 0;
      for (const [gameId, fence] of [...this.owned]) {
        const room = this.options.rooms.evict(gameId);
        this.owned.delete(gameId);
        const snapshot = room?.snapshot() ?? null;
        const seq = room?.seq ?? 0;
        await this.redis.run('save', [fenceKey(gameId), recordKey(gameId), seqKey(gameId)], [
          String(fence),
          snapshot === null ? '' : JSON.stringify({ ...snapshot, seq }),
          String(seq),
          gameId,
        ]);
        await this.redis.run('release', [leaseKey(gameId)], [`${this.nodeId}:${fence}`]);
        const target = others[next++ % Math.max(1, others.length)];
        if (snapshot !== null && target !== undefined) {
          await this.redis.command.publish(nodeChannel(target.id), JSON.stringify({ kind: 'take', game: gameId } satisfies NodeRequest));
        }
        this.counters.handedOver += 1;
      }
      this.options.log(`cluster: drained, ${this.counters.handedOver} games handed over`);
    } catch (error) {
      this.options.log(`cluster: drain cut short (${(error as Error).message}): the rest are taken over when their leases lapse`);
    }
  }

  async stop(): Promise<void> {
    this.stopTimers();
    this.relay.stop();
    await this.redis.close();
  }

  private async begin(): Promise<void> {
    const sub = this.redis.subscriber;
    sub.on('message', (channel: string, text: string) => {
      if (channel === nodeChannel(this.nodeId)) this.onRequest(text);
      else if (channel === KEYS.gone) this.onGone(text);
    });
    await sub.subscribe(nodeChannel(this.nodeId), KEYS.gone);
    this.relay.start();
    this.redis.onUp(() => void this.tick());
    await this.tick();
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.guard = setInterval(() => this.selfFence(), 50);
    this.options.log(`cluster: node ${this.nodeId} on ${this.redis.url}`);
  }

  private stopTimers(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.guard) clearInterval(this.guard);
    this.timer = null;
    this.guard = null;
  }

  private onRequest(text: string): void {
    // A join envelope and a little more, at most: checked before anything is parsed.
    if (text.length > MAX_REQUEST_CHARS) return this.relay.drops.record('request-too-large');
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      return this.relay.drops.record('request-json');
    }
    const r = request as Partial<NodeRequest>;
    if ((r.kind !== 'open' && r.kind !== 'take') || typeof r.game !== 'string' || !isValidGameId(r.game)) return this.relay.drops.record('request-bad');
    const join = r.kind === 'open' && typeof r.join === 'string' ? r.join : undefined;
    const attempt = r.kind === 'open' && typeof r.attempt === 'number' && Number.isInteger(r.attempt) ? r.attempt : 0;
    void this.open(r.game, join, Math.max(0, Math.min(attempt, PLACE_ATTEMPTS)));
  }

  /** Another node's client is gone: its seats here, under its qualified id, are left. */
  private onGone(connection: string): void {
    if (connection.length > 129) return this.relay.drops.record('gone-bad');
    if (connection.endsWith(`@${this.nodeId}`)) return;
    this.options.rooms.connectionGone(connection);
  }

  private async place(gameId: string, join: BusMessage): Promise<void> {
    const text = encodeEnvelope(envelopeOf(this.nodeId, join));
    await this.relay.expectAnswer(gameId);
    await this.placeJoin(gameId, text, 0);
  }

  /**
   * A join goes to the game's owner through the owner's own channel (subscribed since it
   * started, so nothing is lost to a subscription still on its way), or to the least loaded
   * node, which takes the game. A node that turns out not to be there, or not to own the game
   * any more, means placing it again, a few times.
   */
  private async placeJoin(gameId: string, join: string, attempt: number): Promise<void> {
    if (attempt >= PLACE_ATTEMPTS) return this.relay.drops.record('join-unplaced');
    try {
      const [state, who] = (await this.redis.run('place', [], [gameId])) as [string, string];
      const target = state === 'owned' ? who.slice(0, who.lastIndexOf(':')) : who;
      if (target === '' || target === this.nodeId) return await this.open(gameId, join, attempt);
      const request: NodeRequest = { kind: 'open', game: gameId, join, attempt };
      const receivers = await this.redis.command.publish(nodeChannel(target), JSON.stringify(request));
      if (receivers === 0) this.retryJoin(gameId, join, attempt);
    } catch {
      this.relay.drops.record('redis-down');
      this.retryJoin(gameId, join, attempt);
    }
  }

  private retryJoin(gameId: string, join: string, attempt: number): void {
    const timer = setTimeout(() => void this.placeJoin(gameId, join, attempt + 1), PLACE_RETRY_MS * (attempt + 1));
    timer.unref();
  }

  private deliverJoin(gameId: string, join: string): void {
    const room = this.options.rooms.get(gameId);
    const decoded = decodeEnvelope(join, (clientId, address) => ({ clientId, address }));
    if (!decoded.ok) return this.relay.drops.record(decoded.reason);
    const { topic, payload, node } = decoded.value;
    // A join from another node's client: its id qualified by that node (see remoteConnection).
    const raw = decoded.value.sender;
    const sender =
      raw === undefined || raw.clientId === null || node === this.nodeId ? raw : { clientId: remoteConnection(raw.clientId, node), address: raw.address };
    if (room === undefined || parseTopic(topic)?.gameId !== gameId) return this.relay.drops.record('join-no-room');
    room.deliver(topic, payload, undefined, sender);
  }

  /** Takes the game if nobody holds it: its record restored, the join (if any) delivered. */
  private async open(gameId: string, join?: string, attempt = 0): Promise<void> {
    // Asked first: the game is owned a while before its room exists (the relay subscribes its
    // channel in between), and a join delivered then would find no room.
    const waiting = this.opening.get(gameId);
    if (waiting !== undefined) {
      if (join !== undefined) waiting.push(join);
      return;
    }
    if (this.owned.has(gameId)) {
      if (join !== undefined) this.deliverJoin(gameId, join);
      return;
    }
    if (this.draining) {
      if (join !== undefined) this.retryJoin(gameId, join, attempt);
      return;
    }
    const joins = join !== undefined ? [join] : [];
    this.opening.set(gameId, joins);
    try {
      const got = (await this.redis.run('acquire', [leaseKey(gameId), fenceKey(gameId), recordKey(gameId), seqKey(gameId)], [
        this.nodeId,
        LEASE_MS,
        gameId,
      ])) as [number, string, string, number] | null;
      if (got === null) {
        // Somebody else has it: the joins go to its owner.
        for (const text of joins) this.retryJoin(gameId, text, attempt);
        return;
      }
      const [fence, recordText, seqText, pinned] = got;
      this.lastRenewSentAt ||= performance.now();
      this.owned.set(gameId, fence);
      await this.relay.own(gameId, fence);
      const { snapshot, seq } = parseRecord(recordText);
      const lastSeq = Math.max(seq, Number.parseInt(seqText, 10) || 0);
      // Past anything a predecessor may have sent, even one that never renewed (so never saved
      // a seq): a game still waiting, whose owner stalled in its first quarter-second, had its
      // next owner start again at 1 (seen once in CI: seqs 1–7 published by two nodes).
      const firstSeq = lastSeq + seqMargin(this.options.fps);
      if (!this.owned.has(gameId)) {
        // Lost while subscribing (a newer owner heard): the joins go to whoever has it now.
        for (const text of joins) this.retryJoin(gameId, text, attempt);
        return;
      }
      this.options.rooms.ensureRoom(gameId, snapshot ?? undefined, { fence, firstSeq });
      // A game the servers keep open (--game) stays open here, played or not.
      if (pinned === 1) this.options.rooms.pin(gameId);
      this.counters.acquired += 1;
      this.options.log(`cluster: [${gameId}] owned here (fence ${fence}${snapshot ? `, restored ${snapshot.p1Score}-${snapshot.p2Score}` : ''})`);
      for (const text of joins) this.deliverJoin(gameId, text);
    } catch {
      this.relay.drops.record('redis-down');
      for (const text of joins) this.retryJoin(gameId, text, attempt);
    } finally {
      this.opening.delete(gameId);
    }
  }

  private recordOf(gameId: string): string | null | undefined {
    const room = this.options.rooms.get(gameId);
    if (room === undefined) return undefined;
    const snapshot = room.snapshot();
    return snapshot === null ? null : JSON.stringify({ ...snapshot, seq: room.seq });
  }

  /** The game is not ours any more: its room stops here at once. */
  private lose(gameId: string, why: string): void {
    if (!this.owned.has(gameId)) return;
    this.options.rooms.evict(gameId);
    this.owned.delete(gameId);
    this.relay.disown(gameId);
    this.counters.lost += 1;
    this.options.log(`cluster: [${gameId}] stopped here: ${why}`);
  }

  private async release(gameId: string): Promise<void> {
    const fence = this.owned.get(gameId);
    if (fence === undefined) return;
    this.owned.delete(gameId);
    this.relay.disown(gameId);
    await this.redis.run('release', [leaseKey(gameId)], [`${this.nodeId}:${fence}`]).catch(() => {});
  }

  /** Before the renewal deadline: this node's leases are surely still its own. */
  private leaseValid(): boolean {
    return performance.now() < this.lastRenewSentAt + LEASE_MS - SAFETY_MS;
  }

  /**
   * Whether a room's publication on this topic may go out (fencedBus): not once the deadline
   * has passed, even in the moment before the guard's timer runs (a process stalled past it
   * wakes up with its rooms' ticks and its guard both due: the guard might come second).
   */
  mayPublish(topic: string): boolean {
    const parsed = parseTopic(topic);
    if (parsed === null || !this.owned.has(parsed.gameId) || this.leaseValid()) return true;
    queueMicrotask(() => this.selfFence());
    return false;
  }

  /** Past the renewal deadline (Redis unreachable or too slow): stop every room before the leases can pass. */
  private selfFence(): void {
    if (this.owned.size === 0 || this.leaseValid()) return;
    const count = this.owned.size;
    for (const [gameId, fence] of [...this.owned]) {
      const room = this.options.rooms.get(gameId);
      const snapshot = room?.snapshot() ?? null;
      const seq = room?.seq ?? 0;
      this.pending.set(gameId, { fence, record: snapshot === null ? '' : JSON.stringify({ ...snapshot, seq }), seq });
      this.options.rooms.evict(gameId);
      this.owned.delete(gameId);
      this.relay.disown(gameId);
    }
    this.counters.selfFenced += count;
    this.stoppedForRedis = true;
    this.options.log(`cluster: cannot renew leases (Redis at ${this.redis.url} unreachable): stopped ${count} games; they resume when it is back`);
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.draining) return;
    this.ticking = true;
    const sentAt = performance.now();
    try {
      await this.writePending();
      const games = [...this.owned];
      const args: Array<string | number> = [this.nodeId, LEASE_MS, `${games.length} ${this.options.advertise ?? ''}`, NODE_TTL_MS, games.length];
      for (const [gameId, fence] of games) args.push(gameId, String(fence), String(this.options.rooms.get(gameId)?.seq ?? 0));
      const [held, orphans, nodes] = (await this.redis.run('tick', [], args)) as [number[], string[], string[]];
      this.lastRenewSentAt = sentAt;
      if (this.stoppedForRedis) {
        this.stoppedForRedis = false;
        this.options.log('cluster: Redis reachable again: taking games back');
      }
      games.forEach(([gameId, fence], i) => {
        if (held[i] !== 1 && this.owned.get(gameId) === fence) this.lose(gameId, 'lease lost');
      });
      this.nodes = [];
      for (let i = 0; i + 1 < nodes.length; i += 2) {
        const info = nodes[i + 1]!;
        const space = info.indexOf(' ');
        this.nodes.push({ id: nodes[i]!, games: Number.parseInt(info, 10) || 0, advertise: space === -1 ? '' : info.slice(space + 1).slice(0, 256) });
      }
      this.claimOrphans(orphans);
    } catch {
      this.relay.drops.record('redis-down');
    } finally {
      this.ticking = false;
    }
  }

  /** Records of games stopped while Redis was away, written back under their fence (if still theirs). */
  private async writePending(): Promise<void> {
    for (const [gameId, { fence, record, seq }] of [...this.pending]) {
      await this.redis.run('save', [fenceKey(gameId), recordKey(gameId), seqKey(gameId)], [String(fence), record, String(seq), gameId]);
      this.pending.delete(gameId);
    }
  }

  /**
   * Games without an owner, shared out: each live node, least loaded first, takes its turn
   * in the same order on every node; an orphan still there at the next scan goes to whoever
   * sees it first.
   */
  private claimOrphans(orphans: readonly string[]): void {
    const seen = new Map<string, number>();
    const order = [...this.nodes].sort((a, b) => a.games - b.games || a.id.localeCompare(b.id));
    [...orphans].sort().forEach((gameId, i) => {
      const sightings = (this.orphanSightings.get(gameId) ?? 0) + 1;
      seen.set(gameId, sightings);
      const assigned = order.length === 0 ? this.nodeId : order[i % order.length]!.id;
      if (assigned === this.nodeId || sightings >= 3) void this.open(gameId);
    });
    this.orphanSightings.clear();
    for (const [gameId, count] of seen) this.orphanSightings.set(gameId, count);
  }
}

function envelopeOf(nodeId: string, message: BusMessage): Envelope {
  return {
    node: nodeId,
    fence: 0,
    server: false,
    topic: message.topic,
    payload: message.payload,
    qos: message.qos,
    retain: false,
    to: message.to,
    sender: message.sender,
  };
}

function parseRecord(text: string): { snapshot: ReturnType<typeof decodeSnapshot>; seq: number } {
  if (text === '') return { snapshot: null, seq: 0 };
  try {
    const value = JSON.parse(text) as unknown;
    const seq = (value as { seq?: unknown }).seq;
    return { snapshot: decodeSnapshot(value), seq: typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : 0 };
  } catch {
    return { snapshot: null, seq: 0 };
  }
}
