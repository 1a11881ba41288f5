/**
 * The embedded broker's defences, as Aedes hooks: what the hub does for ws, Socket.io and
 * WebRTC clients, done for MQTT clients at the broker, so a refused publish reaches neither the
 * bus nor any other MQTT subscriber.
 *
 * MQTT 3.1.1 cannot refuse one PUBLISH (MQTT-3.3.5-2: acknowledge and discard, or close the
 * connection). A refused publish (payload over the size limit, or, when the server runs game
 * rooms, whatever the publish policy refuses: see ../publish-policy.ts) is acknowledged and
 * discarded: Aedes would close the connection on an error, so instead the packet is emptied
 * and sent to DISCARD_TOPIC, which nobody may subscribe to and `#` never matches. A client
 * over the rate limit is disconnected. Wills pass the same check when they are published.
 * Each refusal is counted once.
 */
import type { Aedes, AedesOptions, Client } from 'aedes';
import { ClientRegistry } from '../client-registry.js';
import { MAX_PAYLOAD_BYTES } from '../../protocol/constants.js';
import { DropCounter } from '../../protocol/drop-counter.js';
import { DEFAULT_HUB_LIMITS } from '../hub.js';
import { AddressLimiter } from '../address-limiter.js';
import type { ClientLimits } from '../limits.js';
import { TokenBucket } from '../token-bucket.js';
import type { PublishPolicy } from '../../game/publish-policy.js';
import { TAKEN_OVER_TOPIC } from './notices.js';
import { PacketSizeGuard } from './packet-size-guard.js';

/** Where refused publishes go: a `$` topic, so no wildcard subscription matches it. */
export const DISCARD_TOPIC = '$pong/refused';

/** Why Aedes closed a client, when the reason was ours: already counted. */
class Refused extends Error {}

export interface BrokerGuardOptions {
  limits: ClientLimits;
  policy?: PublishPolicy | undefined;
  /** The server's client ids, all gateways together; a broker of its own keeps its own. */
  clients?: ClientRegistry | undefined;
}

/** What a taken-over client is told before its connection closes. */
const TAKEN_OVER_NOTICE = Buffer.from('{"reason":"taken-over"}');

export class BrokerGuard {
  readonly drops = new DropCounter();
  kicked = 0;
  shed = 0;
  private readonly buckets = new WeakMap<Client, TokenBucket>();
  private readonly cutOff = new WeakSet<Client>();
  /** Connections closed for a packet over the size bound: what the broker still parses of them is not counted again. */
  private readonly oversized = new WeakSet<object>();
  /** Clients Aedes cut off for not draining: it reports the timeout once per delivery it held for them. */
  private readonly undrained = new WeakSet<Client>();
  private readonly addresses: AddressLimiter;
  private readonly clients: ClientRegistry;
  /** Old connections being told they were taken over, by client id: the newcomer waits for them. */
  private readonly takingOver = new Map<string, Promise<void>>();

  constructor(private readonly options: BrokerGuardOptions) {
    this.addresses = new AddressLimiter(options.limits.connectionsPerAddress);
    this.clients = options.clients ?? new ClientRegistry(options.policy);
  }

  /**
   * Aedes options: the hooks below and a short drain timeout (limits.drainTimeoutMs), after
   * which Aedes disconnects a client whose socket has not drained.
   */
  hooks(): AedesOptions {
    return {
      drainTimeout: this.options.limits.drainTimeoutMs,
      authorizePublish: (client, packet, callback) => {
        if (client === null) return callback(null);
        const verdict = this.authorizePublish(client, packet.topic, packet.payload, packet.retain);
        if (verdict === 'discard') {
          packet.topic = DISCARD_TOPIC;
          packet.payload = Buffer.alloc(0);
          packet.retain = false;
          return callback(null);
        }
        callback(verdict);
      },
      authorizeSubscribe: (client, subscription, callback) => {
        // Negated, not an error: the client gets a failure code in SUBACK and stays connected.
        const count = Object.keys((client as Client & { subscriptions?: object }).subscriptions ?? {}).length;
        // $SYS lists every client id; $pong is ours. `#` never matches either.
        if (subscription.topic.startsWith('$')) {
          this.drops.record('bad-filter');
          return callback(null, null);
        }
        if (count >= DEFAULT_HUB_LIMITS.maxSubscriptions || subscription.topic.length > DEFAULT_HUB_LIMITS.maxTopicLength) {
          this.drops.record('too-many-subscriptions');
          return callback(null, null);
        }
        callback(null, subscription);
      },
      authorizeForward: (client, packet) => {
        const latestWins = packet.qos === 0 && !packet.retain;
        // Once a client's socket pushes back, Aedes waits for 'drain' before it finishes each
        // further delivery to it, holding one of the delivery slots every client shares: a
        // frozen reader would stall the whole broker. Latest-wins frames skip it instead.
        const conn = client.conn as typeof client.conn & { writableNeedDrain?: boolean };
        if (latestWins && (conn.writableNeedDrain === true || conn.writableLength > this.options.limits.shedBytes)) {
          this.shed += 1;
          return null;
        }
        // Seat tokens are secrets: a seat answer goes to its own client only, and another
        // client's message carrying its token to nobody but the server (which reads publishes
        // from the broker itself, not through a subscription).
        const policy = this.options.policy;
        if (policy === undefined) return packet;
        const answerFor = policy.onlyFor(packet.topic);
        if (answerFor !== null && answerFor !== client.id) return null;
        if (policy.isSecret(packet.topic, packet.payload)) return null;
        return packet;
      },
      authenticate: (client, _username, password, done) => {
        // Aedes would let any new connection take a live client id over. An id is held by one
        // connection of the whole server; only a seat token of that id's (as the password) moves it.
        const proof = password === undefined || password === null ? null : password.toString('utf8');
        const claim = this.clients.claim(client.id, {
          transport: 'mqtt',
          address: clientAddress(client),
          takeOver: () => this.takeOver(client),
        }, proof);
        if (claim === 'client-id-taken') {
          this.drops.record('client-id-taken');
          return done(Object.assign(new Error('client id in use'), { returnCode: 2 as const }), false);
        }
        client.conn.once('close', () => claim.release());
        const previous = this.takingOver.get(client.id);
        if (previous === undefined) return done(null, true);
        void previous.then(() => done(null, true));
      },
    };
  }

  /**
   * A newer connection proved it is this client: the old one is told (a `$pong` notice written to
   * it alone) and closed, without its will, which would say a player still here is gone.
   */
  private takeOver(old: Client): void {
    const id = old.id;
    (old as Client & { will: unknown }).will = null;
    const closed = new Promise<void>((resolve) => {
      const close = () => old.close(() => resolve());
      old.publish({ cmd: 'publish', topic: TAKEN_OVER_TOPIC, payload: TAKEN_OVER_NOTICE, qos: 0, retain: false, dup: false }, close);
    }).finally(() => {
      if (this.takingOver.get(id) === closed) this.takingOver.delete(id);
    });
    this.takingOver.set(id, closed);
  }

  /**
   * Closes the connection the moment a packet's header announces more than the limit, before
   * its body is read. Call after broker.handle(stream): the broker reads on 'readable', so this
   * 'data' listener sees each chunk as the broker reads it, just before the broker parses it.
   */
  boundPacketSizes(stream: NodeJS.ReadableStream & { destroy(): void }): void {
    const sizes = new PacketSizeGuard();
    const onData = (chunk: Buffer) => {
      const verdict = sizes.feed(chunk);
      if (verdict === 'ok') return;
      stream.removeListener('data', onData);
      // Not MQTT: the broker's parser refuses it (counted as bad-packet) when it reaches it.
      if (verdict === 'malformed') return;
      this.drops.record('packet-too-large');
      this.kicked += 1;
      this.oversized.add(stream);
      stream.destroy();
    };
    stream.on('data', onData);
  }

  /** For the broker's listeners: false when the address already has its share of connections. */
  admitConnection(address: string): boolean {
    if (this.addresses.admit(address)) return true;
    this.kicked += 1;
    return false;
  }

  releaseConnection(address: string): void {
    this.addresses.release(address);
  }

  /** Counts the errors Aedes closes clients for that were not our refusals; call once the broker exists. */
  watch(broker: Aedes): void {
    broker.on('clientError', (client, error) => this.onError(client, error));
    broker.on('connectionError', (client, error) => this.onError(client, error));
  }

  private onError(client: Client, error: Error): void {
    if (error instanceof Refused) return;
    // A WebSocket message over MQTT_WS_MAX_MESSAGE_BYTES: refused from its frame header.
    if ((error as NodeJS.ErrnoException).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.drops.record('packet-too-large');
      this.kicked += 1;
    } else if (/drain timeout/.test(error.message)) {
      if (this.undrained.has(client)) return;
      this.undrained.add(client);
      this.kicked += 1;
    } else if (!/ECONNRESET|EPIPE|connection closed|keep ?alive/i.test(error.message)) this.drops.record('bad-packet');
  }

  /** null: publish; 'discard': acknowledge and drop; an error: disconnect the client. */
  private authorizePublish(client: Client, topic: string, payload: Buffer | string, retain: boolean): Error | 'discard' | null {
    // A packet that arrived whole with the one that closed the connection is parsed all the same.
    if (this.cutOff.has(client) || this.oversized.has(client.conn)) return new Refused('cut off');
    if (!this.bucketOf(client).take()) {
      this.cutOff.add(client);
      this.kicked += 1;
      this.drops.record('rate-limit');
      return new Refused('rate-limit');
    }
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size > MAX_PAYLOAD_BYTES) return this.discard('payload-too-large');
    if (topic.length > DEFAULT_HUB_LIMITS.maxTopicLength) return this.discard('bad-topic');
    const policy = this.options.policy;
    if (policy === undefined) return null;
    const refusal = policy.check({ topic, payload, retain }, client.id);
    return refusal === null ? null : this.discard(refusal);
  }

  private discard(reason: string): 'discard' {
    this.drops.record(reason);
    return 'discard';
  }

  private bucketOf(client: Client): TokenBucket {
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.options.limits.ratePerSecond, this.options.limits.burst);
      this.buckets.set(client, bucket);
    }
    return bucket;
  }
}

/**
 * Where a client connects from: its socket's remote address over TCP; over WebSocket the
 * broker holds a stream with no address, and the upgrade request (client.req) has it.
 */
export function clientAddress(client: Client): string {
  return client.req?.socket.remoteAddress ?? (client.conn as { remoteAddress?: string }).remoteAddress ?? 'unknown';
}
