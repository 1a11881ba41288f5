/**
 * Decoding of every payload we receive, by kind: the size and JSON checks, then the kind's
 * decoder (see registry.ts). A decoder never throws out of here: a message that fails is
 * dropped by its receiver and counted, with the reason this says.
 */
import { MAX_PAYLOAD_BYTES } from './constants.js';
import { scanAck } from './ack-scan.js';
import { isPlainObject, Reject, type DropReason, type Obj } from './fields.js';
import { DECODERS, type PayloadByKind, type PayloadKind } from './registry.js';

export type { DropReason } from './fields.js';
export { TOKEN_PATTERN } from './fields.js';
export { MAX_SCORE, PADDLE_Y_TOLERANCE, BALL_MARGIN, MAX_BALL_VELOCITY, MAX_NAME_LENGTH } from './decoders.js';
export type { PayloadByKind, PayloadKind } from './registry.js';
export { MAX_TIMESTAMP } from './constants.js';

/**
 * Why a well-formed message was still refused: it is for a seat the sender does not hold, it
 * names no seat and its sender holds none, or a join would open a room past a limit (the
 * server's, the client's or its address's).
 */
export type RefusalReason = 'bad-token' | 'no-seat' | 'seat-taken' | 'room-limit-total' | 'room-limit-client' | 'room-limit-address';
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; reason: DropReason };

const utf8Encoder = new TextEncoder();

/**
 * A string's UTF-8 size without encoding it when the answer is obvious: each UTF-16 unit is 1 to
 * 3 bytes, so only lengths between a third of the limit and the limit need the exact count.
 * TextEncoder rather than Buffer, so the protocol builds for the browser page too; it writes a
 * lone surrogate as U+FFFD (3 bytes), as Buffer.byteLength counts it.
 */
export function utf8LongerThan(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return utf8Encoder.encode(text).byteLength > maxBytes;
}

export function decodePayload<K extends PayloadKind>(kind: K, text: string): DecodeResult<PayloadByKind[K]> {
  if (kind === 'ack' || kind === 'watcherAck') {
    const ack = scanAck(text);
    if (ack !== null) return { ok: true, value: ack as PayloadByKind[K] };
  }
  const parsed = parsePayload(text);
  return parsed.ok ? decodeParsed(kind, parsed.value) : parsed;
}

/** The first half of decodePayload: the size and JSON checks, for a caller that peeks before decoding. */
export function parsePayload(text: string): DecodeResult<unknown> {
  if (typeof text !== 'string') return { ok: false, reason: 'not-json' };
  if (utf8LongerThan(text, MAX_PAYLOAD_BYTES)) return { ok: false, reason: 'too-large' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not-json' };
  }
}

/** The second half of decodePayload: a parsed value checked field by field. */
export function decodeParsed<K extends PayloadKind>(kind: K, parsed: unknown): DecodeResult<PayloadByKind[K]> {
  if (!isPlainObject(parsed)) return { ok: false, reason: 'not-object' };
  const decode = DECODERS[kind] as ((o: Obj) => PayloadByKind[K]) | undefined;
  if (decode === undefined) return { ok: false, reason: 'bad-field' };
  try {
    return { ok: true, value: decode(parsed) };
  } catch (err) {
    if (err instanceof Reject) return { ok: false, reason: err.reason };
    // Nothing above should throw anything else; if it ever does, the message is still dropped.
    return { ok: false, reason: 'bad-field' };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** For transports that hand over raw bytes: size is checked before decoding, invalid UTF-8 is not JSON. */
export function decodePayloadBytes<K extends PayloadKind>(kind: K, data: Uint8Array): DecodeResult<PayloadByKind[K]> {
  if (data.byteLength > MAX_PAYLOAD_BYTES) return { ok: false, reason: 'too-large' };
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  return decodePayload(kind, text);
}

