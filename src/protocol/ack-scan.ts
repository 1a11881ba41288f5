/**
 * The ack as every client writes it (ackText: `{"seq":N,"timestamp":T,"rx":R}`, plain decimals),
 * read without JSON.parse. A server decodes 60 of them a second per player, and JSON.parse plus
 * the field checks were the largest single cost of an ack.
 *
 * A shortcut, not a second decoder: it takes only that exact text, with numbers it can convert
 * exactly and values decodeAck accepts, and answers null for anything else, which then goes
 * the general way (and is decoded, or dropped and counted with its reason, as before). So what
 * it accepts decodes to the very numbers JSON.parse would give, and nothing it refuses is lost.
 */
import { MAX_TIMESTAMP } from './constants.js';
import type { AckMessage } from './messages.js';

const SEQ = '{"seq":';
const TIMESTAMP = ',"timestamp":';
const RX = ',"rx":';
const ZERO = 48;
const NINE = 57;
const DOT = 46;
const CLOSE = 125;
/** Powers of ten a double holds exactly. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** The ack in `text`, or null when it is not in exactly the layout above (decode it in full then). */
export function scanAck(text: string): AckMessage | null {
  if (typeof text !== 'string' || !text.startsWith(SEQ)) return null;
  // Each number runs to the next comma (the last to the closing brace) and is checked digit
  // by digit as it is converted, in one pass.
  const seqStart = SEQ.length;
  const seqEnd = text.indexOf(',', seqStart);
  if (seqEnd < 0 || !text.startsWith(TIMESTAMP, seqEnd)) return null;
  const timestampStart = seqEnd + TIMESTAMP.length;
  const timestampEnd = text.indexOf(',', timestampStart);
  if (timestampEnd < 0 || !text.startsWith(RX, timestampEnd)) return null;
  const rxStart = timestampEnd + RX.length;
  const rxEnd = text.length - 1;
  if (text.charCodeAt(rxEnd) !== CLOSE) return null;
  const seq = decimalValue(text, seqStart, seqEnd, false);
  const timestamp = decimalValue(text, timestampStart, timestampEnd, true);
  const rx = decimalValue(text, rxStart, rxEnd, true);
  // decodeAck's bounds (seq has no sign or fraction here); NaN, a number not read, fails them.
  if (!(seq <= Number.MAX_SAFE_INTEGER)) return null;
  if (!(timestamp > 0 && timestamp < MAX_TIMESTAMP) || !(rx > 0 && rx < MAX_TIMESTAMP)) return null;
  return { seq, timestamp, rx };
}

/**
 * text[start, end) as an unsigned JSON number without exponent (no leading zero, a fraction only
 * if allowed, with digits on both sides of its point), or NaN when it is not one or this cannot
 * convert it exactly. While the digits as an integer m stay within a double's exact integers
 * (every step of the sum is then exact) and 10^k is exact, the one division m / 10^k rounds
 * correctly (Clinger's fast path), so it is the double JSON.parse reads.
 */
function decimalValue(text: string, start: number, end: number, fraction: boolean): number {
  let m = 0;
  let point = -1;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === DOT) {
      if (!fraction || point >= 0 || i === start || i === end - 1) return Number.NaN;
      point = i;
    } else if (code >= ZERO && code <= NINE) {
      m = m * 10 + (code - ZERO);
    } else {
      return Number.NaN;
    }
  }
  const integerEnd = point < 0 ? end : point;
  if (integerEnd === start || (integerEnd - start > 1 && text.charCodeAt(start) === ZERO)) return Number.NaN;
  const fractionDigits = point < 0 ? 0 : end - point - 1;
  if (m > Number.MAX_SAFE_INTEGER || fractionDigits >= POW10.length) return Number.NaN;
  return m / POW10[fractionDigits]!;
}
