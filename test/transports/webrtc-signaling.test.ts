/**
 * WebRTC signaling logic without sockets or native peers: message parsing, the candidate
 * buffer, option parsing, and the server session driven message by message with a fake peer
 * that refuses candidates before a remote description, as libdatachannel does.
 */
import { describe, expect, it } from 'vitest';
import { TopicBus } from '../../src/bus/bus.js';
import { ClientHub } from '../../src/transports/hub.js';
import { CandidateBuffer } from '../../src/transports/webrtc/candidate-buffer.js';
import type { SignalingLink } from '../../src/transports/webrtc/links.js';
import { parseRtcOptions } from '../../src/transports/webrtc/options.js';
import type { ChannelEvents, PeerConfig, PeerEvents, RtcChannel, RtcPeer } from '../../src/transports/webrtc/peer.js';
import { RtcServerSession } from '../../src/transports/webrtc/server-session.js';
import { encodeSignal, parseSignal, parseSignalText, type SignalMessage } from '../../src/transports/webrtc/signal.js';

describe('signaling messages', () => {
  it('round-trips every message type', () => {
    const messages: SignalMessage[] = [
      { type: 'offer', id: 1, sdp: 'v=0\r\n' },
      { type: 'answer', id: 1, sdp: 'v=0\r\n' },
      { type: 'candidate', id: 2, candidate: 'a=candidate:1 1 UDP 2114977791 192.0.2.2 41239 typ host', mid: '0' },
      { type: 'error', id: 3, message: 'offer refused' },
      { type: 'error', message: 'malformed signaling message' },
    ];
    for (const message of messages) expect(parseSignalText(encodeSignal(message))).toEqual(message);
  });

  it('refuses what is not one of ours, without throwing', () => {
    const bad: unknown[] = [
      null,
      [],
      'offer',
      { type: 'offer', id: 1 },
      { type: 'offer', id: 0, sdp: 'v=0' },
      { type: 'offer', id: 1.5, sdp: 'v=0' },
      { type: 'offer', id: '1', sdp: 'v=0' },
      { type: 'answer', id: 1, sdp: '' },
      { type: 'candidate', id: 1, candidate: 'a=candidate:1', mid: 0 },
      { type: 'candidate', id: 1, candidate: '', mid: '0' },
      { type: 'goodbye', id: 1 },
      { type: 'offer', id: 1, sdp: 'x'.repeat(20_000) },
    ];
    for (const value of bad) expect(parseSignal(value)).toBeNull();
    expect(parseSignalText('{not json')).toBeNull();
    expect(parseSignalText(' '.repeat(17_000))).toBeNull();
  });
});

describe('CandidateBuffer', () => {
  it('hands back one negotiation in arrival order and discards older ones', () => {
    const buffer = new CandidateBuffer();
    buffer.push(1, { candidate: 'old', mid: '0' });
    buffer.push(2, { candidate: 'a', mid: '0' });
    buffer.push(3, { candidate: 'later', mid: '0' });
    buffer.push(2, { candidate: 'b', mid: '0' });
    expect(buffer.take(2).map((c) => c.candidate)).toEqual(['a', 'b']);
    expect(buffer.size).toBe(1);
    expect(buffer.take(3).map((c) => c.candidate)).toEqual(['later']);
    expect(buffer.take(1)).toEqual([]);
  });

  it('is bounded', () => {
    const buffer = new CandidateBuffer(2);
    expect(buffer.push(1, { candidate: 'a', mid: '0' })).toBe(true);
    expect(buffer.push(1, { candidate: 'b', mid: '0' })).toBe(true);
    expect(buffer.push(1, { candidate: 'c', mid: '0' })).toBe(false);
    expect(buffer.overflowed).toBe(1);
  });
});

describe('webrtc options', () => {
  it('takes ICE servers and the signaling path from extra', () => {
    expect(parseRtcOptions(undefined)).toEqual({ iceServers: [], signaling: 'ws' });
    expect(parseRtcOptions({ iceServers: ['stun:stun.example.org:3478', 'turn:u:p@relay.example.org:3478'], signaling: 'socketio' })).toEqual({
      iceServers: ['stun:stun.example.org:3478', 'turn:u:p@relay.example.org:3478'],
      signaling: 'socketio',
    });
    expect(parseRtcOptions({ iceServers: 'stun:127.0.0.1:9' }).iceServers).toEqual(['stun:127.0.0.1:9']);
  });

  it('throws on misuse', () => {
    expect(() => parseRtcOptions({ iceServers: ['http://example.org'] })).toThrow(TypeError);
    expect(() => parseRtcOptions({ iceServers: [3478] })).toThrow(TypeError);
    // libdatachannel cannot parse a bracketed IPv6 host; refuse it before the first offer.
    expect(() => parseRtcOptions({ iceServers: ['stun:[::1]:3478'] })).toThrow(TypeError);
    expect(parseRtcOptions({ iceServers: ['turn:user:secret@relay.example.org:3478?transport=tcp'] }).iceServers).toHaveLength(1);
    expect(() => parseRtcOptions({ signaling: 'carrier-pigeon' })).toThrow(/signaling/);
  });
});

/** Refuses candidates before the remote description, as libdatachannel does. */
class FakePeer implements RtcPeer {
  readonly calls: string[] = [];
  private described = false;
  closed = false;
  bytesSent = 0;
  bytesReceived = 0;

  constructor(
    readonly name: string,
    readonly config: PeerConfig,
    readonly events: PeerEvents,
  ) {}

  createChannel(label: string, _reliability: unknown, _events: ChannelEvents): RtcChannel {
    return { label, isOpen: false, bufferedAmount: 0, send: () => false };
  }

  setRemoteDescription(sdp: string, type: string): void {
    this.described = true;
    this.calls.push(`description ${type} ${sdp}`);
  }

  addRemoteCandidate(candidate: string): void {
    if (!this.described) throw new Error('Got a remote candidate without remote description');
    this.calls.push(`candidate ${candidate}`);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function sessionWithFakePeers() {
  const sent: SignalMessage[] = [];
  const peers: FakePeer[] = [];
  const link: SignalingLink = { send: (message) => sent.push(message), close: async () => undefined };
  const hub = new ClientHub(new TopicBus(), 'webrtc');
  const counters = {
    get badSignals() {
      return hub.drops.get('bad-signal');
    },
  };
  const session = new RtcServerSession(link, {
    connectionId: 'fake',
    clientId: null,
    address: '127.0.0.1',
    iceServers: ['stun:127.0.0.1:9'],
    hub,
    createPeer: (name, config, events) => {
      const peer = new FakePeer(name, config, events);
      peers.push(peer);
      return peer;
    },
  });
  return { session, sent, peers, counters };
}

const candidate = (id: number, text: string): SignalMessage => ({ type: 'candidate', id, candidate: text, mid: '0' });

describe('server session signaling', () => {
  it('applies candidates that arrive before the offer right after its description, in order', () => {
    const { session, peers, counters } = sessionWithFakePeers();
    session.onMessage(candidate(1, 'c1'));
    session.onMessage(candidate(1, 'c2'));
    session.onMessage({ type: 'offer', id: 1, sdp: 'offer-1' });
    session.onMessage(candidate(1, 'c3'));
    expect(peers).toHaveLength(1);
    expect(peers[0]!.calls).toEqual(['description offer offer-1', 'candidate c1', 'candidate c2', 'candidate c3']);
    expect(peers[0]!.config.iceServers).toEqual(['stun:127.0.0.1:9']);
    expect(counters.badSignals).toBe(0);
  });

  it('sends the answer and its candidates under the offer id', () => {
    const { session, sent, peers } = sessionWithFakePeers();
    session.onMessage({ type: 'offer', id: 7, sdp: 'offer-7' });
    peers[0]!.events.onLocalDescription('answer-7', 'answer');
    peers[0]!.events.onLocalCandidate('a=candidate:1 1 UDP 1 fd00::2 5000 typ host', '0');
    expect(sent).toEqual([
      { type: 'answer', id: 7, sdp: 'answer-7' },
      { type: 'candidate', id: 7, candidate: 'a=candidate:1 1 UDP 1 fd00::2 5000 typ host', mid: '0' },
    ]);
  });

  it('replaces the peer on a new offer and ignores stale candidates of the old one', async () => {
    const { session, peers } = sessionWithFakePeers();
    session.onMessage({ type: 'offer', id: 1, sdp: 'offer-1' });
    session.onMessage(candidate(2, 'early-2'));
    session.onMessage({ type: 'offer', id: 2, sdp: 'offer-2' });
    session.onMessage(candidate(1, 'stale-1'));
    expect(peers[0]!.closed).toBe(true);
    expect(peers[1]!.calls).toEqual(['description offer offer-2', 'candidate early-2']);
    expect(peers[0]!.calls).toEqual(['description offer offer-1']);
    await session.end();
    expect(peers[1]!.closed).toBe(true);
  });

  it('answers malformed or out-of-place signaling with an error and counts it', () => {
    const { session, sent, counters } = sessionWithFakePeers();
    session.onMalformed();
    session.onMessage({ type: 'answer', id: 1, sdp: 'v=0' });
    session.onMessage({ type: 'offer', id: 3, sdp: 'offer-3' });
    session.onMessage({ type: 'offer', id: 2, sdp: 'older' });
    expect(counters.badSignals).toBe(3);
    expect(sent.filter((message) => message.type === 'error')).toHaveLength(3);
  });
});
