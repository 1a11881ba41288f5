/**
 * The transport contract: what every transport must do, asserted on what actually arrives over
 * real sockets. Each transport's test file calls runTransportContract once per setup, e.g.
 *
 *   runTransportContract('ws', () => startGatewayFixture(wsTransport));
 *
 * Subscriptions are not acknowledged through the common interface, so the cases publish probes
 * until one arrives before they assert on anything that depends on a subscription.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../src/protocol/constants.js';
import type { BusMessage } from '../../src/bus/bus.js';
import type { ConnectionStatus, TransportClient } from '../../src/transports/transport.js';
import type { TransportFixture } from '../helpers/gateway-fixture.js';
import { repeatUntil, waitFor } from '../helpers/wait.js';
import { startWillChild } from '../helpers/will-child.js';

interface Received {
  topic: string;
  payload: string;
}

/** Real game payloads plus what a naive framing would break: spaces, newlines, non-ASCII. */
const AWKWARD_PAYLOAD = '{"y":4.5,"timestamp":1763774400123.412,"seq":77,"name":"Zoë ✓ two words","note":"line 1\\nline 2"}\nraw second line';

function received(client: TransportClient): Received[] {
  const log: Received[] = [];
  client.onMessage((topic, payload) => log.push({ topic, payload }));
  return log;
}

function statuses(client: TransportClient): ConnectionStatus[] {
  const log: ConnectionStatus[] = [];
  client.onStatus((status) => log.push(status));
  return log;
}

function withoutProbes(messages: Received[]): Received[] {
  return messages.filter((message) => !message.payload.startsWith('probe-'));
}

export function runTransportContract(label: string, makeFixture: () => Promise<TransportFixture>): void {
  describe(`transport contract: ${label}`, () => {
    let fixture: TransportFixture;
    let probes = 0;

    beforeEach(async () => {
      fixture = await makeFixture();
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    const onBus = (filter: string): BusMessage[] => {
      const log: BusMessage[] = [];
      fixture.bus.subscribe(filter, (message) => log.push(message));
      return log;
    };

    const connectedClient = async (clientId: string) => {
      const client = fixture.createClient(clientId);
      const inbox = received(client);
      await client.connect();
      return { client, inbox };
    };

    /** Subscribes and returns once a bus publish on `probeTopic` (matched by `filter`) arrives. */
    const subscribeAndWait = async (client: TransportClient, inbox: Received[], filter: string, probeTopic: string) => {
      client.subscribe(filter);
      const marker = `probe-${++probes}`;
      await repeatUntil(
        () => fixture.bus.publish(probeTopic, marker),
        () => inbox.some((message) => message.payload === marker),
        `subscription ${filter} to deliver ${probeTopic}`,
      );
    };

    /** Returns once the server has handled everything the client sent before this call. */
    const barrier = async (client: TransportClient) => {
      const topic = `pong/barrier/${++probes}`;
      const seen = onBus(topic);
      client.publish(topic, 'barrier', { qos: 1 });
      await waitFor(() => seen.length > 0, `the barrier publish on ${topic} to reach the bus`);
    };

    it('connects and reports connecting, then connected', async () => {
      const client = fixture.createClient('status');
      const seen = statuses(client);
      await client.connect();
      expect(client.status).toBe('connected');
      expect(seen).toEqual(['connecting', 'connected']);
    });

    it('rejects connect() with EUNREACHABLE when nothing listens', async () => {
      const client = fixture.createUnreachableClient('nobody-home');
      await expect(client.connect()).rejects.toMatchObject({ name: 'TransportError', code: 'EUNREACHABLE' });
      expect(client.status).not.toBe('connected');
    });

    it('puts a client publish on the bus once, with exact topic, payload, qos and retain', async () => {
      const { client } = await connectedClient('publisher');
      const seen = onBus('pong/game/pub/#');
      client.publish('pong/game/pub/p1/paddle', AWKWARD_PAYLOAD, { qos: 1 });
      client.publish('pong/game/pub/state', '{"status":"playing"}', { qos: 1, retain: true });
      client.publish('pong/game/pub/end', 'end', { qos: 1 });
      await waitFor(() => seen.some((message) => message.topic === 'pong/game/pub/end'), 'the last publish on the bus');
      expect(seen.map(({ topic, payload, qos, retain, origin }) => ({ topic, payload, qos, retain, origin }))).toEqual([
        { topic: 'pong/game/pub/p1/paddle', payload: AWKWARD_PAYLOAD, qos: 1, retain: false, origin: fixture.transport },
        { topic: 'pong/game/pub/state', payload: '{"status":"playing"}', qos: 1, retain: true, origin: fixture.transport },
        { topic: 'pong/game/pub/end', payload: 'end', qos: 1, retain: false, origin: fixture.transport },
      ]);
      expect(fixture.bus.retainedMessage('pong/game/pub/state')?.payload).toBe('{"status":"playing"}');
    });

    it('delivers a bus publish to a subscribed client, byte for byte, and never echoes it back', async () => {
      const { client, inbox } = await connectedClient('subscriber');
      await subscribeAndWait(client, inbox, 'pong/game/down/ball', 'pong/game/down/ball');
      const seen = onBus('pong/game/down/ball');
      fixture.bus.publish('pong/game/down/ball', AWKWARD_PAYLOAD);
      await waitFor(() => inbox.some((message) => message.payload === AWKWARD_PAYLOAD), 'the bus publish at the client');
      expect(withoutProbes(inbox)).toEqual([{ topic: 'pong/game/down/ball', payload: AWKWARD_PAYLOAD }]);
      // A broker echoes on the bridge's connection ahead of the barrier, so by then it would be here.
      await barrier(client);
      expect(seen.filter((message) => message.payload === AWKWARD_PAYLOAD)).toHaveLength(1);
    });

    it('relays client A to client B through the server', async () => {
      const a = await connectedClient('alice');
      const b = await connectedClient('bob');
      b.client.subscribe('pong/game/ab/p1/paddle');
      await repeatUntil(
        () => a.client.publish('pong/game/ab/p1/paddle', `probe-${++probes}`, { qos: 1 }),
        () => b.inbox.length > 0,
        'a first message from A at B',
      );
      a.client.publish('pong/game/ab/p1/paddle', AWKWARD_PAYLOAD, { qos: 1 });
      await waitFor(() => b.inbox.some((message) => message.payload === AWKWARD_PAYLOAD), "A's message at B");
      expect(withoutProbes(b.inbox)).toEqual([{ topic: 'pong/game/ab/p1/paddle', payload: AWKWARD_PAYLOAD }]);
    });

    it('gives every subscriber each message of a run with its own topic and payload', async () => {
      // Gateways encode a message once for all its subscribers: a run that repeats a payload on
      // another topic, or a topic with another payload, must still arrive as published.
      const a = await connectedClient('run-a');
      const b = await connectedClient('run-b');
      await subscribeAndWait(a.client, a.inbox, 'pong/game/run/#', 'pong/game/run/probe');
      await subscribeAndWait(b.client, b.inbox, 'pong/game/run/#', 'pong/game/run/probe');
      const run = [
        { topic: 'pong/game/run/ball', payload: '{"n":1}' },
        { topic: 'pong/game/run/state', payload: '{"n":1}' },
        { topic: 'pong/game/run/state', payload: '{"n":2}' },
        { topic: 'pong/game/run/state', payload: '{"n":2}' },
        { topic: 'pong/game/run/ball', payload: AWKWARD_PAYLOAD },
      ];
      for (const { topic, payload } of run) fixture.bus.publish(topic, payload, { qos: 1 });
      for (const { inbox } of [a, b]) {
        await waitFor(() => inbox.some((message) => message.payload === AWKWARD_PAYLOAD), 'the last of the run');
        expect(withoutProbes(inbox)).toEqual(run);
      }
    });

    it('matches + and # wildcards as MQTT does', async () => {
      const { client, inbox } = await connectedClient('wildcards');
      await subscribeAndWait(client, inbox, 'pong/game/w/+/paddle', 'pong/game/w/probe/paddle');
      await subscribeAndWait(client, inbox, 'pong/game/x/#', 'pong/game/x/probe');
      const topics = [
        'pong/game/w/p1/paddle', // + matches one level
        'pong/game/w/p1/ack',
        'pong/game/w/a/b/paddle', // + never spans two levels
        'pong/game/w/paddle',
        'pong/game/x/ball', // # matches one level...
        'pong/game/x/p2/paddle', // ...or several
        'pong/game/y/ball',
        'pong/game/x/end',
      ];
      for (const topic of topics) fixture.bus.publish(topic, `to ${topic}`);
      await waitFor(() => inbox.some((message) => message.topic === 'pong/game/x/end'), 'the last matching publish');
      expect(withoutProbes(inbox).map((message) => message.topic)).toEqual([
        'pong/game/w/p1/paddle',
        'pong/game/x/ball',
        'pong/game/x/p2/paddle',
        'pong/game/x/end',
      ]);
    });

    it('stops delivering after unsubscribe', async () => {
      const { client, inbox } = await connectedClient('unsubscriber');
      await subscribeAndWait(client, inbox, 'pong/game/u/ball', 'pong/game/u/ball');
      await subscribeAndWait(client, inbox, 'pong/game/u/state', 'pong/game/u/state');
      client.unsubscribe('pong/game/u/ball');
      await barrier(client);
      const before = inbox.length;
      fixture.bus.publish('pong/game/u/ball', 'after unsubscribe');
      fixture.bus.publish('pong/game/u/state', 'still subscribed', { qos: 1 });
      await waitFor(() => inbox.some((message) => message.payload === 'still subscribed'), 'the message on the kept subscription');
      expect(withoutProbes(inbox.slice(before))).toEqual([{ topic: 'pong/game/u/state', payload: 'still subscribed' }]);
    });

    it('hands a later subscriber the latest retained message', async () => {
      fixture.bus.publish('pong/game/r/state', '{"rev":1}', { qos: 1, retain: true });
      fixture.bus.publish('pong/game/r/state', '{"rev":2}', { qos: 1, retain: true });
      const { client, inbox } = await connectedClient('late-joiner');
      client.subscribe('pong/game/r/state');
      await waitFor(() => inbox.length > 0, 'the retained state');
      await barrier(client);
      expect(inbox).toEqual([{ topic: 'pong/game/r/state', payload: '{"rev":2}' }]);
    });

    it('carries a burst of 200 reliable publishes complete and in order', async () => {
      const a = await connectedClient('burst-a');
      const b = await connectedClient('burst-b');
      await subscribeAndWait(b.client, b.inbox, 'pong/game/burst/#', 'pong/game/burst/probe');
      const seen = onBus('pong/game/burst/p1/paddle');
      const sent = Array.from({ length: 200 }, (_, i) => `{"y":${i % 10},"timestamp":${1763774400000 + i},"seq":${i}}`);
      for (const payload of sent) a.client.publish('pong/game/burst/p1/paddle', payload, { qos: 1 });
      const atB = () => b.inbox.filter((message) => message.topic === 'pong/game/burst/p1/paddle');
      // Through an external broker the server's bridge is one more subscriber, no faster than B.
      await waitFor(() => atB().length >= sent.length && seen.length >= sent.length, '200 messages at B and on the bus', 10_000);
      expect(seen.map((message) => message.payload)).toEqual(sent);
      expect(atB().map((message) => message.payload)).toEqual(sent);
    });

    it('reports closed after close() and delivers nothing more', async () => {
      const { client, inbox } = await connectedClient('leaver');
      const witness = await connectedClient('witness');
      await subscribeAndWait(client, inbox, 'pong/game/c/ball', 'pong/game/c/ball');
      await subscribeAndWait(witness.client, witness.inbox, 'pong/game/c/ball', 'pong/game/c/ball');
      const seen = statuses(client);
      await client.close();
      expect(client.status).toBe('closed');
      expect(seen).toEqual(['closed']);
      const before = inbox.length;
      fixture.bus.publish('pong/game/c/ball', 'after close');
      await waitFor(() => witness.inbox.some((message) => message.payload === 'after close'), 'the message at the witness');
      expect(inbox.length).toBe(before);
    });

    it('reports not connected when the server goes away', async () => {
      const { client } = await connectedClient('stranded');
      const seen = statuses(client);
      await fixture.stopServer();
      await waitFor(() => client.status === 'reconnecting' || client.status === 'disconnected', 'a not-connected status');
      expect(seen.length).toBeGreaterThan(0);
      expect(['reconnecting', 'disconnected']).toContain(seen[0]);
    });

    it('reconnects when the server is back on the same port, with its subscriptions', async () => {
      const { client, inbox } = await connectedClient('comeback');
      await subscribeAndWait(client, inbox, 'pong/game/back/ball', 'pong/game/back/ball');
      await fixture.stopServer();
      await waitFor(() => client.status !== 'connected', 'the drop to be noticed');
      await fixture.startServer();
      await waitFor(() => client.status === 'connected', 'the client to reconnect', 15_000);
      await repeatUntil(
        () => fixture.bus.publish('pong/game/back/ball', 'after restart'),
        () => inbox.some((message) => message.payload === 'after restart'),
        'the old subscription to deliver after the restart',
      );
      const seen = onBus('pong/game/back/p1/paddle');
      client.publish('pong/game/back/p1/paddle', 'up again', { qos: 1 });
      await waitFor(() => seen.length > 0, 'a publish after the restart on the bus');
    });

    it('while disconnected, drops latest-wins publishes and sends reliable ones (qos 1 or retained, by default) once back', async () => {
      const { client } = await connectedClient('offline-publisher');
      const seen = onBus('pong/game/off/#');
      await fixture.stopServer();
      await waitFor(() => client.status !== 'connected', 'the drop to be noticed');
      client.publish('pong/game/off/p1/paddle', 'stale paddle', { qos: 0 });
      client.publish('pong/game/off/serve', 'serve command', { qos: 1 });
      client.publish('pong/game/off/state', 'retained state', { qos: 0, retain: true });
      await fixture.startServer();
      await waitFor(() => client.status === 'connected', 'the client to reconnect', 15_000);
      await waitFor(() => seen.length >= 2, 'the queued reliable publishes on the bus');
      await barrier(client);
      // MQTT keeps qos 0 and qos 1 in separate queues: the order between them is not promised.
      expect(seen.map((message) => message.payload).sort()).toEqual(['retained state', 'serve command']);
    });

    it('counts wire bytes and messages both ways', async () => {
      const { client, inbox } = await connectedClient('metered');
      await subscribeAndWait(client, inbox, 'pong/game/m/ball', 'pong/game/m/ball');
      const before = { ...client.wire };
      const payload = 'x'.repeat(500);
      const seen = onBus('pong/game/m/p1/paddle');
      for (let i = 0; i < 10; i++) client.publish('pong/game/m/p1/paddle', payload, { qos: 1 });
      for (let i = 0; i < 10; i++) fixture.bus.publish('pong/game/m/ball', payload);
      await waitFor(() => seen.length === 10 && inbox.filter((message) => message.payload === payload).length === 10, '10 messages each way');
      const after = client.wire;
      expect(after.bytesOut - before.bytesOut).toBeGreaterThanOrEqual(10 * payload.length);
      expect(after.bytesIn - before.bytesIn).toBeGreaterThanOrEqual(10 * payload.length);
      expect(after.messagesOut - before.messagesOut).toBeGreaterThanOrEqual(10);
      expect(after.messagesIn - before.messagesIn).toBeGreaterThanOrEqual(10);
    });

    it('never puts an oversized client payload on the bus, and counts the drop', async () => {
      const { client } = await connectedClient('oversized');
      const seen = onBus('pong/game/big/#');
      const droppedBefore = fixture.gateway.counters.dropped;
      client.publish('pong/game/big/p1/paddle', 'x'.repeat(MAX_PAYLOAD_BYTES + 1), { qos: 1 });
      client.publish('pong/game/big/p1/ack', 'small', { qos: 1 });
      await waitFor(() => seen.length > 0, 'the small publish after the oversized one');
      expect(seen.map((message) => message.topic)).toEqual(['pong/game/big/p1/ack']);
      await waitFor(() => fixture.gateway.counters.dropped > droppedBefore, 'the drop to be counted');
    });

    it('publishes the will of a client that vanishes, and not of one that closes cleanly', async () => {
      const seen = onBus('pong/game/will/#');
      const will = (name: string) => ({ topic: `pong/game/will/${name}`, payload: `{"gone":"${name}"}`, qos: 1 as const });
      const clean = await startWillChild(fixture.transport, fixture.clientOptions('will-clean'), will('clean'));
      await clean.closeCleanly();
      // Started after the clean one has gone: had its will been published, it would be first.
      const lost = await startWillChild(fixture.transport, fixture.clientOptions('will-lost'), will('lost'));
      await lost.kill();
      await waitFor(() => seen.length > 0, "the killed client's will on the bus", 10_000);
      expect(seen.map(({ topic, payload, qos }) => ({ topic, payload, qos }))).toEqual([{ topic: 'pong/game/will/lost', payload: '{"gone":"lost"}', qos: 1 }]);
    });

    it('registers the will again when it reconnects', async () => {
      const seen = onBus('pong/game/will/#');
      const up = onBus('pong/will-up/will-again');
      const child = await startWillChild(fixture.transport, fixture.clientOptions('will-again'), {
        topic: 'pong/game/will/again',
        payload: '{"gone":"after a reconnect"}',
      });
      // The child publishes on will-up after its will, on every connection.
      await waitFor(() => up.length === 1, 'the child to be up');
      await fixture.stopServer();
      await fixture.startServer();
      await waitFor(() => up.length === 2, 'the child to be back', 15_000);
      // The drop itself may have published the first registration: only what follows counts.
      const before = seen.length;
      await child.kill();
      await waitFor(() => seen.length > before, 'the will registered on the new connection', 10_000);
      expect(seen.at(-1)?.payload).toBe('{"gone":"after a reconnect"}');
    });
  });
}
