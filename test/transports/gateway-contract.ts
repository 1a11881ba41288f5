/**
 * The gateway contract: what every gateway does with what its clients send, asserted over real
 * sockets on port 0 against a client that speaks the transport's wire protocol directly (see
 * test/helpers/raw-peers/). It is the server-side twin of ./contract.ts: that one drives pong's
 * own clients through the common interface; this one refuses, cuts off, sheds and publishes
 * wills the way a gateway of a game server must, whatever its transport. Each gateway's test
 * file runs it once, e.g.
 *
 *   runGatewayContract(wsGatewayUnderTest);
 *
 * The server is set up as `pong serve` sets it up: the game's publish policy (with every seat
 * free) and a client registry in the gateway's context. So every topic the cases publish is
 * one a client of a game may use (a `join` serves as the barrier); other topics are refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/bus/bus.js';
import { PublishPolicy } from '../../src/game/publish-policy.js';
import { MAX_PAYLOAD_BYTES } from '../../src/protocol/constants.js';
import { ClientRegistry } from '../../src/transports/client-registry.js';
import type { ClientLimits } from '../../src/transports/limits.js';
import type { GatewayOptions, TransportFactory } from '../../src/transports/transport.js';
import { startGatewayFixture, type GatewayFixtureOptions, type TransportFixture } from '../helpers/gateway-fixture.js';
import type { PeerConnector, RawPeer, RefusalProbe } from '../helpers/raw-peers/raw-peer.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';

/** One gateway as the contract drives it, with what its transport says in each case. */
export interface GatewayUnderTest {
  label: string;
  factory: TransportFactory;
  /** Options this gateway needs besides the limits (the embedded broker on port 0, ...). */
  options?: GatewayOptions;
  /** Options that bring a gateway back where the first one was (the same broker port). */
  sameAddress?: GatewayFixtureOptions['sameAddress'];
  /** What describe() gives once started. */
  url: RegExp;
  connect: PeerConnector;
  /** How the transport refuses a connection that asks for a client id another one holds. */
  claim: { probe: RefusalProbe; answer: string };
  /**
   * Whether the server routes topics itself (ws, Socket.io, WebRTC: the hub), and so refuses
   * topics that are not pong's or carry wildcards as `bad-topic`. A broker carries any topic:
   * MQTT's are refused by the publish policy alone.
   */
  routesTopics: boolean;
  /** Whether a refused publish is answered (`err`), or acknowledged and discarded (MQTT 3.1.1 has no refusal). */
  answersRefusedPublishes: boolean;
  /** A filter the gateway refuses, and what it answers. */
  badFilter: { filter: string; answer: string };
  /** What a frame or packet over the transport's own size bound gets; null where there is none. */
  oversized: { ended: RegExp; counted: string | null } | null;
  /** What a client over the rate limit is told (null: nothing, the connection just ends) and how it ends. */
  rateLimited: { told: string | null; ended: RegExp };
  /** How a peer's connection ends when the gateway stops. */
  stopped: RegExp;
  /** Whether the gateway shares the server's HTTP port (ws, Socket.io, WebRTC), which it must leave running. */
  sharesHttp: boolean;
  /** Lowered limits under which a client that reads nothing is cut off soon (a byte bound, or MQTT's drain timeout). */
  stalledLimits: Partial<ClientLimits>;
}

const SCRIPT = fileURLToPath(new URL('../helpers/subscriber-client.mjs', import.meta.url));
const GAME = 'gw';
/** A client topic of every game that the policy lets anyone publish: the cases' barrier. */
const JOIN = `pong/game/${GAME}/join`;

/** The refusals every gateway makes the same way, with the counter each lands in. */
interface RefusedPublish {
  topic: string;
  payload: string;
  retain?: boolean;
  reason: string;
}

const REFUSED_PUBLISHES: readonly RefusedPublish[] = [
  { topic: `pong/game/${GAME}/${'x'.repeat(300)}`, payload: '{}', reason: 'bad-topic' },
  { topic: `pong/game/${GAME}/state`, payload: '{"status":"playing"}', reason: 'server-topic' },
  { topic: `pong/game/${GAME}/ball`, payload: '{"x":1}', reason: 'server-topic' },
  { topic: `pong/game/${GAME}/p1/paddle`, payload: 'x'.repeat(MAX_PAYLOAD_BYTES + 1), reason: 'payload-too-large' },
  { topic: `pong/game/${GAME}/nonsense`, payload: '{}', reason: 'unknown-topic' },
  { topic: JOIN, payload: '{"player":1,"timestamp":1}', retain: true, reason: 'retained' },
];

/** Refused by a server that routes topics itself, before the policy sees them. */
const UNROUTABLE_PUBLISHES: readonly RefusedPublish[] = [
  { topic: 'elsewhere/topic', payload: '{}', reason: 'bad-topic' },
  { topic: `pong/game/+/ball`, payload: '{}', reason: 'bad-topic' },
];

/** The slow-consumer cases publish frames of this size to a client that has stopped reading. */
const FRAME_BYTES = 4_000;
const FRAMES = 8_000;
/** Kernel send and receive buffers on loopback (a few MiB each) plus a gateway's threshold. */
const ALLOWANCE_BYTES = 12 * 1024 * 1024;

export function runGatewayContract(under: GatewayUnderTest): void {
  describe(`gateway contract: ${under.label}`, () => {
    let fixture: TransportFixture | null = null;
    let child: ChildProcess | null = null;
    const peers: RawPeer[] = [];

    afterEach(async () => {
      child?.kill('SIGKILL');
      child = null;
      for (const peer of peers.splice(0)) peer.drop();
      await fixture?.teardown();
      fixture = null;
    });

    const start = async (limits: Partial<ClientLimits> = {}): Promise<TransportFixture> => {
      const seats = { holderOf: () => null, proves: () => false };
      const policy = new PublishPolicy(seats);
      fixture = await startGatewayFixture(under.factory, {
        gatewayOptions: { ...under.options, limits },
        ...(under.sameAddress ? { sameAddress: under.sameAddress } : {}),
        context: { policy, clients: new ClientRegistry(policy) },
      });
      return fixture;
    };

    const url = (fx: TransportFixture) => fx.gateway.describe();

    const connect = async (fx: TransportFixture, clientId: string | null, options?: Parameters<PeerConnector>[2]) => {
      const peer = await under.connect(url(fx), clientId, options);
      peers.push(peer);
      return peer;
    };

    const onBus = (fx: TransportFixture, filter: string): BusMessage[] => {
      const log: BusMessage[] = [];
      fx.bus.subscribe(filter, (message) => log.push(message));
      return log;
    };

    /** Numbers the barriers and probes, so each is told from the others. */
    let barriers = 0;

    /** Returns once the gateway has handled everything the peer sent before. */
    const barrier = async (fx: TransportFixture, peer: RawPeer) => {
      const payload = `{"player":1,"timestamp":${++barriers}}`;
      const seen = onBus(fx, JOIN);
      peer.publish(JOIN, payload, { qos: 1 });
      await waitFor(() => seen.some((message) => message.payload === payload), 'the barrier on the bus');
    };

    /** Subscribes and returns once a bus publish on the topic has come through. */
    const subscribed = async (fx: TransportFixture, peer: RawPeer, topic: string) => {
      peer.subscribe(topic);
      const probe = `probe-${++barriers}`;
      await repeatUntil(
        () => fx.bus.publish(topic, probe),
        () => peer.messages.some(([, payload]) => payload === probe),
        `${topic} at the peer`,
      );
    };

    /** A peer of the same gateway is still served both ways. */
    const stillServed = async (fx: TransportFixture, peer: RawPeer) => {
      await subscribed(fx, peer, `pong/game/${GAME}/ball`);
      await barrier(fx, peer);
    };

    const deltaOf = (before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>) =>
      Object.fromEntries(Object.entries(after).map(([reason, count]) => [reason, count - (before[reason] ?? 0)]).filter(([, n]) => n !== 0));

    it('describes the URL its clients connect to, with the port it got', async () => {
      const fx = await start();
      expect(url(fx)).toMatch(under.url);
      expect(url(fx)).not.toMatch(/:0$/);
      await connect(fx, 'describer');
      expect(fx.gateway.counters.connections).toBe(1);
    });

    it('refuses what no client may publish or subscribe to, with the reason, counts each once and keeps the connection', async () => {
      const fx = await start();
      const peer = await connect(fx, 'refused');
      const listener = await connect(fx, 'listener');
      await subscribed(fx, listener, `pong/game/${GAME}/#`);
      const seen = onBus(fx, '#');
      const before = { ...fx.gateway.counters.droppedBy };
      const droppedBefore = fx.gateway.counters.dropped;
      const refused = [...REFUSED_PUBLISHES, ...(under.routesTopics ? UNROUTABLE_PUBLISHES : [])];
      for (const { topic, payload, retain } of refused) peer.publish(topic, payload, { qos: 1, retain: retain === true });
      peer.subscribe(under.badFilter.filter);
      await barrier(fx, peer);

      const expected = [...refused.map(({ topic, reason }) => `${reason} ${topic}`), under.badFilter.answer];
      const answered = under.answersRefusedPublishes ? expected : [under.badFilter.answer];
      await waitFor(() => peer.refusals.length >= answered.length, 'the refusals at the peer');
      expect(peer.refusals).toEqual(answered);
      const counted: Record<string, number> = { 'bad-filter': 1 };
      for (const { reason } of refused) counted[reason] = (counted[reason] ?? 0) + 1;
      expect(deltaOf(before, fx.gateway.counters.droppedBy)).toEqual(counted);
      expect(fx.gateway.counters.dropped - droppedBefore).toBe(refused.length + 1);
      // Nothing refused reached the bus, nor another client (a broker forwards in its own time).
      expect(seen.filter((message) => message.origin === fx.transport).map((message) => message.topic)).toEqual([JOIN]);
      await waitFor(() => listener.messages.some(([topic]) => topic === JOIN), 'the barrier at the other client');
      expect(listener.messages.filter(([, payload]) => !payload.startsWith('probe-')).map(([topic]) => topic)).toEqual([JOIN]);
      await stillServed(fx, peer);
    });

    it.skipIf(under.oversized === null)('closes a connection that sends more than its frame or packet bound, counts it, and serves the others', async () => {
      const fx = await start();
      const witness = await connect(fx, 'witness');
      const peer = await connect(fx, 'oversized');
      const before = { ...fx.gateway.counters.droppedBy };
      peer.sendOversized();
      expect(await peer.ended).toMatch(under.oversized!.ended);
      const counted = under.oversized!.counted;
      if (counted !== null) {
        await waitFor(() => (fx.gateway.counters.droppedBy[counted] ?? 0) > (before[counted] ?? 0), 'the refusal counted');
        expect(deltaOf(before, fx.gateway.counters.droppedBy)).toEqual({ [counted]: 1 });
      }
      await stillServed(fx, witness);
    });

    it('cuts off a client over the rate limit with the reason, and serves the others', async () => {
      // 50 a second, burst 50: 500 messages at once are well past it.
      const fx = await start({ ratePerSecond: 50, burst: 50 });
      const witness = await connect(fx, 'witness');
      const flood = await connect(fx, 'flood');
      for (let i = 0; i < 500; i++) flood.publish(JOIN, '{}', { qos: 1 });
      expect(await flood.ended).toMatch(under.rateLimited.ended);
      const told = under.rateLimited.told;
      if (told !== null) await waitFor(() => flood.refusals.includes(told), `${told} at the flooder`);
      expect(fx.gateway.counters).toMatchObject({ kicked: 1, droppedBy: { 'rate-limit': 1 } });
      await stillServed(fx, witness);
    });

    it('refuses a connection that asks for a client id another connection holds, and the holder plays on', async () => {
      const fx = await start();
      const holder = await connect(fx, 'held-id');
      expect(await under.claim.probe(url(fx), 'held-id')).toBe(under.claim.answer);
      expect(fx.gateway.counters.droppedBy['client-id-taken']).toBe(1);
      await stillServed(fx, holder);
      // Once its holder has gone, the id is free.
      await holder.close();
      await waitFor(() => fx.gateway.counters.connections === 0, 'the holder to be gone');
      await stillServed(fx, await connect(fx, 'held-id'));
    });

    it('publishes the will of a client that vanishes, and not of one that closes cleanly', async () => {
      const fx = await start();
      const seen = onBus(fx, `pong/game/${GAME}/leave`);
      const will = (clientId: string) => ({ topic: `pong/game/${GAME}/leave`, payload: `{"player":1,"timestamp":1,"clientId":"${clientId}"}`, qos: 1 as const });
      const clean = await connect(fx, 'will-clean', { will: will('will-clean') });
      await barrier(fx, clean);
      await clean.close();
      await waitFor(() => fx.gateway.counters.connections === 0, 'the clean client to be gone');
      // Dropped after the clean one is gone: had its will been published, it would be first.
      const lost = await connect(fx, 'will-lost', { will: will('will-lost') });
      await barrier(fx, lost);
      lost.drop();
      await waitFor(() => seen.length > 0, "the lost client's will on the bus");
      expect(seen.map(({ payload, qos, origin }) => ({ payload, qos, origin }))).toEqual([{ payload: will('will-lost').payload, qos: 1, origin: fx.transport }]);
    });

    it('ends its connections on stop() and frees its place: a new gateway takes it at once', async () => {
      const fx = await start();
      const peer = await connect(fx, 'stopped');
      await fx.gateway.stop();
      expect(await peer.ended).toMatch(under.stopped);
      expect(fx.gateway.counters.connections).toBe(0);
      if (under.sharesHttp) {
        // The HTTP server is the server's, not the gateway's: still up, still answering.
        expect((await fetch(`${fx.clientOptions('x').serverUrl}/anything`)).status).toBe(404);
      }
      await fx.replaceGateway();
      await stillServed(fx, await connect(fx, 'after-stop'));
    });

    /** A pong client in a process of its own, subscribed to `filter`, then stopped with SIGSTOP. */
    const stoppedSubscriber = async (fx: TransportFixture, filter: string, probeTopic: string) => {
      const proc = spawn(process.execPath, [SCRIPT, fx.transport, JSON.stringify(fx.clientOptions('slow')), filter], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let output = '';
      proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await repeatUntil(() => fx.bus.publish(probeTopic, 'probe'), () => output.includes('first'), `the subscriber's first message (${output})`, 15_000);
      proc.kill('SIGSTOP');
      return { output: () => output, resume: () => proc.kill('SIGCONT') };
    };

    it('skips latest-wins frames for a client that stops reading, holds a bounded backlog, and keeps its reliable messages', async () => {
      const fx = await start();
      const ball = `pong/game/${GAME}/ball`;
      const state = `pong/game/${GAME}/state`;
      const slow = await stoppedSubscriber(fx, `pong/game/${GAME}/#`, ball);
      // A reading client of the same gateway, on a topic of another game: once a message
      // published after the frames reaches it, every frame has been sent or skipped for the
      // stopped one (a broker forwards in its own time). It gets none of the frames, so
      // nothing is skipped for it.
      const marker = 'pong/game/elsewhere/state';
      const witness = await connect(fx, 'witness');
      await subscribed(fx, witness, marker);
      const payload = 'x'.repeat(FRAME_BYTES);
      const shedBefore = fx.gateway.counters.shed;
      for (let i = 0; i < FRAMES; i++) {
        fx.bus.publish(ball, payload);
        // Let the sockets take what they will between batches, as between real ticks.
        if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
      fx.bus.publish(marker, 'after the frames', { qos: 1 });
      await waitFor(() => witness.messages.some(([, body]) => body === 'after the frames'), 'the marker at the witness', 30_000);
      const shed = fx.gateway.counters.shed - shedBefore;
      expect(shed).toBeGreaterThan(0);
      expect((FRAMES - shed) * FRAME_BYTES).toBeLessThanOrEqual(ALLOWANCE_BYTES);
      fx.bus.publish(state, '{"status":"paused"}', { qos: 1, retain: true });
      slow.resume();
      await waitFor(() => slow.output().includes(`got ${state}`), 'the reliable state after the backlog', 30_000);
      expect(fx.gateway.counters.kicked).toBe(0);
    }, 90_000);

    it('cuts off a client that reads nothing at all, reliable messages and all', async () => {
      const fx = await start(under.stalledLimits);
      const state = `pong/game/${GAME}/state`;
      const slow = await stoppedSubscriber(fx, `pong/game/${GAME}/#`, state);
      const connected = fx.gateway.counters.connections;
      const payload = `{"pad":"${'x'.repeat(FRAME_BYTES)}"}`;
      // Paced, about 4 MB a second: the embedded broker holds every delivery to a client that
      // does not drain until its drain timeout, and thousands held at once overflow the stack
      // of Aedes' emitter as they are released (seen from about 8,000), which is not this case.
      for (let i = 0; i < FRAMES && fx.gateway.counters.kicked === 0; i++) {
        fx.bus.publish(state, payload, { qos: 1 });
        if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await waitFor(() => fx.gateway.counters.kicked > 0, 'the stopped client cut off', 30_000);
      await waitFor(() => fx.gateway.counters.connections === connected - 1, 'its connection gone', 10_000);
      expect(fx.gateway.counters.kicked).toBe(1);
      slow.resume();
      await waitFor(() => /status (reconnecting|disconnected)/.test(slow.output()), 'the client to see its connection lost', 30_000);
    }, 90_000);
  });
}
