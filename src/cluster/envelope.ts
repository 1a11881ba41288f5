/**
 * One bus message as it travels between nodes through Redis pub/sub: a JSON header line (who
 * sent it, the owner's fence, the topic, QoS, retain, who may receive it, the connection it
 * came from) and the payload as it was, unescaped. What a peer or Redis hands us is input like
 * any other: decoded with every field checked, and refused with a reason rather than thrown.
 */
import type { Sender } from '../bus/bus.js';
import { MAX_PAYLOAD_BYTES } from '../protocol/constants.js';
import { parseTopic } from '../protocol/topics.js';
import { BoundedMemo } from '../protocol/bounded-memo.js';

export interface Envelope {
  /** The node that published it. */
  node: string;
  /** The owner's fence for server messages; 0 for a client's. */
  fence: number;
  /** Published by the game's owner (a room), not by a client. */
  server: boolean;
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
  to: string | undefined;
  sender: Sender | undefined;
}

interface Header {
  n: string;
  f: number;
  s: 0 | 1;
  t: string;
  q: 0 | 1;
  r: 0 | 1;
  o?: string;
  c?: string | null;
  a?: string;
}

const MAX_ID = 64;
const MAX_TOPIC = 256;
const MAX_ADDRESS = 128;

export function encodeEnvelope(e: Envelope): string {
  return `${headerText(e)}\n${e.payload}`;
}

function headerText(e: Omit<Envelope, 'payload'>): string {
  const header: Header = { n: e.node, f: e.fence, s: e.server ? 1 : 0, t: e.topic, q: e.qos, r: e.retain ? 1 : 0 };
  if (e.to !== undefined) header.o = e.to;
  if (e.sender !== undefined) {
    header.c = e.sender.clientId;
    header.a = e.sender.address;
  }
  return JSON.stringify(header);
}

export type Decoded = { ok: true; value: Envelope } | { ok: false; reason: string };

const shortString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** `senders` keeps one Sender per connection, as a gateway does, rather than one per message. */
export function decodeEnvelope(text: string, senders: (clientId: string | null, address: string) => Sender): Decoded {
  const end = text.indexOf('\n');
  if (end <= 0 || end > 1024) return { ok: false, reason: 'envelope-header' };
  if (text.length - end - 1 > MAX_PAYLOAD_BYTES) return { ok: false, reason: 'envelope-too-large' };
  let h: Partial<Header>;
  try {
    const parsed: unknown = JSON.parse(text.slice(0, end));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: 'envelope-header' };
    h = parsed as Partial<Header>;
  } catch {
    return { ok: false, reason: 'envelope-json' };
  }
  if (!shortString(h.n, MAX_ID) || h.n.length === 0) return { ok: false, reason: 'envelope-node' };
  if (typeof h.f !== 'number' || !Number.isSafeInteger(h.f) || h.f < 0) return { ok: false, reason: 'envelope-fence' };
  if ((h.s !== 0 && h.s !== 1) || (h.q !== 0 && h.q !== 1) || (h.r !== 0 && h.r !== 1)) return { ok: false, reason: 'envelope-flags' };
  if (!shortString(h.t, MAX_TOPIC) || parseTopic(h.t) === null) return { ok: false, reason: 'envelope-topic' };
  // A client's id, or another node's client's (`id@node`, see relay.ts).
  if (h.o !== undefined && !shortString(h.o, 2 * MAX_ID + 1)) return { ok: false, reason: 'envelope-to' };
  let sender: Sender | undefined;
  if (h.a !== undefined || h.c !== undefined) {
    if (!shortString(h.a, MAX_ADDRESS)) return { ok: false, reason: 'envelope-sender' };
    if (h.c !== null && !shortString(h.c, MAX_ID)) return { ok: false, reason: 'envelope-sender' };
    sender = senders(h.c ?? null, h.a);
  }
  return {
    ok: true,
    value: {
      node: h.n,
      fence: h.f,
      server: h.s === 1,
      topic: h.t,
      payload: text.slice(end + 1),
      qos: h.q,
      retain: h.r === 1,
      to: h.o,
      sender,
    },
  };
}

type Head = Omit<Envelope, 'payload'>;
type HeadDecoded = { ok: true; value: Head } | { ok: false; reason: string };

const MAX_REMEMBERED = 4096;

/**
 * The same, for the hot path: a game's frames all have one header (its topic, the owner's
 * fence, the same flags), and a player's paddles and acks one per connection, so a header's
 * text, and what a received header says, are worked out once and remembered (bounded).
 */
export class EnvelopeCodec {
  private readonly heads = new Map<string, string>();
  private readonly decodedHeads: BoundedMemo<string, HeadDecoded>;

  constructor(senders: (clientId: string | null, address: string) => Sender) {
    this.decodedHeads = new BoundedMemo<string, HeadDecoded>(MAX_REMEMBERED, (header) => {
      const decoded = decodeEnvelope(`${header}\n`, senders);
      if (!decoded.ok) return decoded;
      const { payload: _payload, ...value } = decoded.value;
      return { ok: true, value };
    });
  }

  encode(e: Envelope): string {
    const key = `${e.node}\u0001${e.fence}\u0001${e.server ? 1 : 0}${e.qos}${e.retain ? 1 : 0}\u0001${e.topic}\u0001${e.to ?? '\u0002'}\u0001${e.sender === undefined ? '\u0002' : `${e.sender.clientId ?? '\u0003'}\u0001${e.sender.address}`}`;
    let head = this.heads.get(key);
    if (head === undefined) {
      head = headerText(e);
      // Keys come from clients too (their ids): bounded, forgotten all at once.
      if (this.heads.size >= MAX_REMEMBERED) this.heads.clear();
      this.heads.set(key, head);
    }
    return `${head}\n${e.payload}`;
  }

  decode(text: string): Decoded {
    const end = text.indexOf('\n');
    if (end <= 0 || end > 1024) return { ok: false, reason: 'envelope-header' };
    if (text.length - end - 1 > MAX_PAYLOAD_BYTES) return { ok: false, reason: 'envelope-too-large' };
    const head = this.decodedHeads.get(text.slice(0, end));
    if (!head.ok) return head;
    return { ok: true, value: { ...head.value, payload: text.slice(end + 1) } };
  }
}
