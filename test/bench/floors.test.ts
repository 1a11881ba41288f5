/**
 * The bench's floors: the bare-library baseline `pong bench` compares the game against. If a
 * floor drops, garbles or misroutes frames, the comparison is meaningless, so this covers
 * the pieces a floor is made of (the framed topic table, the bare WebRTC signaling, the machine
 * floor's length-prefixed messages) as units, then each floor's bare relay and bare ackers (the
 * transports' and the machine's bare TCP) end to end over loopback sockets: frames
 * out on a game's ball topic, acks back from both players on their own ack topics, with seq
 * and timestamp echoed exactly.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBareAcker, type BareAcker } from '../../src/bench/floors/bare-ackers.js';
import { BareSignalQueue, parseBareSignal, type BareSignal } from '../../src/bench/relays/bare-signal.js';
import { FramedTopics } from '../../src/bench/relays/framed-topics.js';
import { lengthPrefixed, LengthPrefixedReader, MAX_MESSAGE_BYTES } from '../../src/bench/relays/length-prefixed.js';
import type { FloorName } from '../../src/bench/ipc.js';
import { bareRelays } from '../../src/bench/relays/bare-relays.js';
import { waitFor } from '../helpers/wait.js';

/** A topic table whose sends and acks are recorded, with peers named by strings. */
function recordingTopics() {
  const acks: Array<[topic: string, payload: string]> = [];
  const topics = new FramedTopics<string>((topic, payload) => acks.push([topic, payload]));
  const publish = (topic: string, payload: string) => {
    const sent: Array<[peer: string, frame: string]> = [];
    topics.publish(topic, payload, (peer, frame) => sent.push([peer, frame]));
    return sent;
  };
  return { topics, acks, publish };
}

describe('FramedTopics', () => {
  it('sends `msg <topic>\\n<payload>` once to each subscriber of the topic, and to nobody else', () => {
    const { topics, publish } = recordingTopics();
    topics.receive('a', 'sub pong/game/g/ball');
    topics.receive('b', 'sub pong/game/g/ball');
    topics.receive('b', 'sub pong/game/g/ball'); // subscribing twice still means one copy
    topics.receive('c', 'sub pong/game/other/ball');
    const payload = '{"seq":1}\nsecond line, kept as is';
    expect(publish('pong/game/g/ball', payload)).toEqual([
      ['a', `msg pong/game/g/ball\n${payload}`],
      ['b', `msg pong/game/g/ball\n${payload}`],
    ]);
    expect(publish('pong/game/other/ball', 'x')).toEqual([['c', 'msg pong/game/other/ball\nx']]);
    // Exact topics only: no prefix or wildcard matching.
    expect(publish('pong/game/g', 'x')).toEqual([]);
    expect(publish('pong/game/+/ball', 'x')).toEqual([]);
    expect(publish('nobody/listens', 'x')).toEqual([]);
  });

  it('hands a `pub` on an ack topic to the sink with its payload byte for byte', () => {
    const { topics, acks, publish } = recordingTopics();
    const payload = '{"seq":7,"timestamp":1700000000000.125,"rx":1700000000001.5}\n  trailing é ✓ \n';
    topics.receive('a', `pub pong/game/g/ack/p1\n${payload}`);
    topics.receive('b', 'pub pong/game/g/ack/p2\n{"seq":8}');
    expect(acks).toEqual([
      ['pong/game/g/ack/p1', payload],
      ['pong/game/g/ack/p2', '{"seq":8}'],
    ]);
    // An ack goes to the sink only, not to the peers (none subscribed, so nothing to send).
    expect(publish('pong/game/g/p1/ack', 'x')).toEqual([]);
  });

  it('ignores a `pub` on a non-ack topic and malformed or unknown lines', () => {
    const { topics, acks, publish } = recordingTopics();
    topics.receive('a', 'sub pong/game/g/ball');
    for (const line of [
      'pub pong/game/g/ball\n{"seq":1}', // not an ack topic: a client may not publish frames
      'pub pong/game/g/ack-not\n{}', // "ack" but not the /ack suffix
      'pub\n{"seq":1}', // no topic
      'sub', // no topic
      '', // nothing
      'unsub pong/game/g/ball', // unknown command
      'msg pong/game/g/p1/ack\n{}', // the relay's own verb, not a client's
      'SUB pong/game/x/ball', // commands are case-sensitive
      'sub ', // an empty topic
      'sub  pong/game/x/ball', // two spaces: an empty token
      'sub pong/game/x/ball extra', // a topic has no spaces
      'sub pong/game/x/ball\n', // a subscription has no payload
      'pub pong/game/g/p1/ack', // an ack with no payload line
      'hello',
    ]) {
      topics.receive('b', line);
    }
    expect(acks).toEqual([]);
    // 'a' is still subscribed (the unsub was not understood), 'b' never subscribed to anything.
    expect(publish('pong/game/g/ball', 'f')).toEqual([['a', 'msg pong/game/g/ball\nf']]);
    expect(publish('pong/game/x/ball', 'f')).toEqual([]);
  });

  it('after drop, a peer gets nothing on any of its topics, and the others still do', () => {
    const { topics, publish } = recordingTopics();
    topics.receive('a', 'sub t/one');
    topics.receive('a', 'sub t/two');
    topics.receive('b', 'sub t/one');
    topics.drop('a');
    topics.drop('never-seen'); // harmless
    expect(publish('t/one', 'x')).toEqual([['b', 'msg t/one\nx']]);
    expect(publish('t/two', 'x')).toEqual([]);
    // A dropped peer that subscribes again is a new subscriber.
    topics.receive('a', 'sub t/two');
    expect(publish('t/two', 'y')).toEqual([['a', 'msg t/two\ny']]);
  });
});

describe('bare WebRTC signaling', () => {
  it('parseBareSignal reads descriptions and candidates, keeping only their fields', () => {
    expect(parseBareSignal(JSON.stringify({ kind: 'description', sdp: 'v=0\r\n', type: 'offer' }))).toEqual({ kind: 'description', sdp: 'v=0\r\n', type: 'offer' });
    expect(parseBareSignal(JSON.stringify({ kind: 'description', sdp: '', type: 'answer', extra: 1 }))).toEqual({ kind: 'description', sdp: '', type: 'answer' });
    expect(parseBareSignal(JSON.stringify({ kind: 'candidate', candidate: 'a=candidate:1 1 UDP 1 127.0.0.1 5000 typ host', mid: '0' }))).toEqual({
      kind: 'candidate',
      candidate: 'a=candidate:1 1 UDP 1 127.0.0.1 5000 typ host',
      mid: '0',
    });
  });

  it('parseBareSignal gives null for malformed JSON, wrong kinds and wrong types', () => {
    const malformed = [
      '',
      'not json',
      '{"kind":"description"',
      'null',
      '42',
      '"description"',
      '[]',
      '{}',
      JSON.stringify({ kind: 'offer', sdp: 'v=0', type: 'offer' }),
      JSON.stringify({ kind: 'Description', sdp: 'v=0', type: 'offer' }),
      JSON.stringify({ sdp: 'v=0', type: 'offer' }),
      JSON.stringify({ kind: 'description', sdp: 1, type: 'offer' }),
      JSON.stringify({ kind: 'description', type: 'offer' }),
      JSON.stringify({ kind: 'description', sdp: 'v=0', type: 'pranswer' }),
      JSON.stringify({ kind: 'description', sdp: 'v=0' }),
      JSON.stringify({ kind: 'candidate', candidate: 5, mid: '0' }),
      JSON.stringify({ kind: 'candidate', candidate: 'c', mid: 0 }),
      JSON.stringify({ kind: 'candidate', candidate: 'c' }),
      JSON.stringify({ kind: 'candidate', mid: '0' }),
      JSON.stringify({ kind: 'candidate', candidate: null, mid: '0' }),
    ];
    for (const text of malformed) expect(parseBareSignal(text), text).toBeNull();
  });

  it('BareSignalQueue holds candidates until the remote description, then applies them in order', () => {
    const calls: string[] = [];
    const queue = new BareSignalQueue({
      setRemoteDescription: (sdp, type) => calls.push(`description ${type} ${sdp}`),
      addRemoteCandidate: (candidate, mid) => calls.push(`candidate ${mid} ${candidate}`),
    });
    const candidate = (n: number): BareSignal => ({ kind: 'candidate', candidate: `c${n}`, mid: `m${n}` });
    queue.apply(candidate(1));
    queue.apply(candidate(2));
    queue.apply(candidate(3));
    expect(calls).toEqual([]);
    queue.apply({ kind: 'description', sdp: 'v=0', type: 'answer' });
    expect(calls).toEqual(['description answer v=0', 'candidate m1 c1', 'candidate m2 c2', 'candidate m3 c3']);
    // Once described, a candidate goes straight through; the held ones are not replayed.
    queue.apply(candidate(4));
    queue.apply({ kind: 'description', sdp: 'v=1', type: 'offer' });
    expect(calls.slice(4)).toEqual(['candidate m4 c4', 'description offer v=1']);
  });
});

const GAME = 'floor-1';
const BALL = `pong/game/${GAME}/ball`;
const ACK_TOPICS = [1, 2].map((player) => `pong/game/${GAME}/ack/p${player}`);
const FRAME_MS = 16;
const WAIT_MS = 10_000;

/** Every floor, the machine's bare TCP among them; MQTT's on embedded Aedes (no broker URL). */
const FLOORS = Object.keys(bareRelays) as FloorName[];

/** Stops everything a test started, last first, whether or not it passed. */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  const errors: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
});

const now3 = () => Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;

describe.each(FLOORS)('the %s floor, end to end over loopback', (transport) => {
  it('both bare ackers receive the ball frames and ack each on their own topic with seq and timestamp echoed', async () => {
    const acks: Array<{ topic: string; payload: string }> = [];
    const relay = await bareRelays[transport]((topic, payload) => acks.push({ topic, payload }));
    cleanups.push(() => relay.stop());

    const started = await Promise.allSettled(([1, 2] as const).map((player) => startBareAcker({ transport, urls: relay.urls, game: GAME, player })));
    for (const result of started) if (result.status === 'fulfilled') cleanups.push(() => result.value.close());
    const ackers = started.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    }) as [BareAcker, BareAcker];

    // Ball frames at ~60 Hz until the test is done: subscriptions take effect a moment after connecting.
    const sent = new Map<number, number>();
    let seq = 0;
    const ticker = setInterval(() => {
      seq += 1;
      // Now and then a frame that is not a ball frame: each acker drops and counts it, and lives on.
      if (seq % 7 === 0) return relay.publish(BALL, ['not json', '{"seq":', '{}', '{"seq":"1","timestamp":2}', 'null'][(seq / 7) % 5]!);
      const timestamp = now3();
      sent.set(seq, timestamp);
      relay.publish(BALL, `{"x":1,"y":2,"dx":0.5,"dy":-0.25,"timestamp":${timestamp},"seq":${seq},"p1y":4.5,"p2y":4.5}`);
    }, FRAME_MS);
    cleanups.push(() => clearInterval(ticker));

    const ackCount = (player: 1 | 2) => acks.filter((ack) => ack.topic === ACK_TOPICS[player - 1]).length;
    await waitFor(() => ackCount(1) >= 3 && ackCount(2) >= 3, `${transport}: acks from both players`, WAIT_MS);
    const framesThen = ackers.map((acker) => acker.frames);
    const acksThen = [ackCount(1), ackCount(2)];
    await waitFor(() => ackCount(1) >= acksThen[0]! + 5 && ackCount(2) >= acksThen[1]! + 5, `${transport}: more acks from both players`, WAIT_MS);
    clearInterval(ticker);

    // Every ack is on one of the two players' ack topics, and echoes a frame that was sent.
    const seqsBy = new Map<string, number[]>(ACK_TOPICS.map((topic) => [topic, []]));
    for (const { topic, payload } of acks) {
      expect(ACK_TOPICS, `ack topic ${topic}`).toContain(topic);
      const ack = JSON.parse(payload) as Record<string, unknown>;
      expect(Object.keys(ack).sort()).toEqual(['rx', 'seq', 'timestamp']);
      const { seq: ackSeq, timestamp, rx } = ack as { seq: number; timestamp: number; rx: number };
      expect(sent.has(ackSeq), `seq ${ackSeq} was sent`).toBe(true);
      expect(timestamp).toBe(sent.get(ackSeq));
      expect(typeof rx).toBe('number');
      expect(Number.isFinite(rx)).toBe(true);
      // Same machine, same clock: received no earlier than sent (1 ms of slack for rounding).
      expect(rx).toBeGreaterThanOrEqual(timestamp - 1);
      expect(rx).toBeLessThanOrEqual(now3() + 1);
      seqsBy.get(topic)!.push(ackSeq);
    }
    // One ack per frame: no player acks a frame twice.
    for (const seqs of seqsBy.values()) expect(new Set(seqs).size).toBe(seqs.length);

    // The frames counters grew while acks kept coming, and count at least every frame acked.
    ackers.forEach((acker, index) => {
      expect(acker.malformed, `player ${index + 1}: malformed frames counted`).toBeGreaterThan(0);
      expect(framesThen[index]).toBeGreaterThanOrEqual(1);
      expect(acker.frames).toBeGreaterThan(framesThen[index]!);
      expect(acker.frames).toBeGreaterThanOrEqual(ackCount((index + 1) as 1 | 2));
      expect(acker.frames).toBeLessThanOrEqual(seq);
    });
  });
});

describe('length-prefixed messages (the machine floor)', () => {
  const collect = () => {
    const messages: string[] = [];
    return { messages, reader: new LengthPrefixedReader((text) => messages.push(text)) };
  };

  it('reads back every message, however the stream was cut into chunks', () => {
    const sent = ['sub pong/game/g/ball', 'msg pong/game/g/ball\n{"seq":1,"x":0.5}', '', 'pub pong/game/g/p1/ack\n{"note":"é ✓ 🏓"}', 'x'.repeat(MAX_MESSAGE_BYTES)];
    const stream = Buffer.concat(sent.map(lengthPrefixed));
    // Whole, byte by byte, and in chunks of a few sizes that cut prefixes and characters apart.
    for (const size of [stream.length, 1, 2, 3, 4, 5, 7, 9]) {
      const { messages, reader } = collect();
      let refused = 0;
      for (let offset = 0; offset < stream.length; offset += size) if (!reader.push(stream.subarray(offset, offset + size))) refused += 1;
      expect(refused, `chunks of ${size}`).toBe(0);
      expect(messages, `chunks of ${size}`).toEqual(sent);
    }
  });

  it('reads thousands of messages that arrive in one chunk, in order', () => {
    const { messages, reader } = collect();
    const sent = Array.from({ length: 5000 }, (_, i) => `pub pong/game/g/p1/ack\n{"seq":${i}}`);
    expect(reader.push(Buffer.concat(sent.map(lengthPrefixed)))).toBe(true);
    expect(messages).toEqual(sent);
  });

  it('prefixes the UTF-8 byte count, not the character count', () => {
    const framed = lengthPrefixed('é🏓');
    expect(framed.readUInt32BE(0)).toBe(6);
    expect(framed.subarray(4).toString('utf8')).toBe('é🏓');
  });

  it('stops for good at a prefix longer than any message, and keeps what came before', () => {
    const { messages, reader } = collect();
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(MAX_MESSAGE_BYTES + 1);
    expect(reader.push(Buffer.concat([lengthPrefixed('before'), huge, lengthPrefixed('after')]))).toBe(false);
    expect(reader.broken).toBe(true);
    expect(reader.push(lengthPrefixed('later'))).toBe(false);
    expect(messages).toEqual(['before']);
  });

  it('the tcp relay drops a connection that sends no such stream, and serves the others on', async () => {
    const acks: string[] = [];
    const relay = await bareRelays.tcp((topic) => acks.push(topic));
    cleanups.push(() => relay.stop());
    const acker = await startBareAcker({ transport: 'tcp', urls: relay.urls, game: GAME, player: 1 });
    cleanups.push(() => acker.close());
    const { hostname, port } = new URL(relay.urls.tcpUrl!);
    const stranger = net.connect({ host: hostname, port: Number(port) });
    cleanups.push(() => stranger.destroy());
    const closed = new Promise<void>((resolve) => stranger.once('close', () => resolve()));
    stranger.on('error', () => {});
    stranger.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    let seq = 0;
    const ticker = setInterval(() => {
      seq += 1;
      relay.publish(BALL, `{"x":1,"y":2,"dx":0.5,"dy":-0.25,"timestamp":${now3()},"seq":${seq},"p1y":4.5,"p2y":4.5}`);
    }, FRAME_MS);
    cleanups.push(() => clearInterval(ticker));
    await waitFor(() => acks.length >= 3, 'acks after a stranger was dropped', WAIT_MS);
    expect(new Set(acks)).toEqual(new Set([ACK_TOPICS[0]]));
  });
});
