/**
 * The text framing of the raw WebSocket transport, also carried by the WebRTC data channels.
 * One frame = one text message. Its first line is a header of space-separated tokens; for
 * `pub` and `msg` everything after the first newline is the payload, byte for byte (JSON stays
 * readable and is never encoded twice). Topics and filters never contain a space or newline.
 *
 *   client → server   sub <filter>
 *                     unsub <filter>
 *                     pub <topic> [<flags>]\n<payload>     flags: - | q0 | q1 | r | q0r | q1r
 *                     will <topic> [<flags>]\n<payload>    published for me if I vanish
 *                     will                                 no will
 *                     bye                                  clean close follows: no will
 *   server → client   msg <topic>\n<payload>
 *                     err <reason> <detail>
 *
 * Decoding never throws: a malformed frame comes back as a FrameError for the caller to count.
 */

export interface FramedPublish {
  topic: string;
  qos: 0 | 1;
  retain: boolean;
  payload: string;
}

export type ClientFrame =
  | { kind: 'sub'; filter: string }
  | { kind: 'unsub'; filter: string }
  | ({ kind: 'pub' } & FramedPublish)
  | { kind: 'will'; will: FramedPublish | null }
  | { kind: 'bye' };

export type ServerFrame = { kind: 'msg'; topic: string; payload: string } | { kind: 'err'; reason: string; detail: string };

export type FrameError = 'empty' | 'unknown-command' | 'bad-header' | 'bad-flags';

export type Decoded<T> = { ok: true; frame: T } | { ok: false; error: FrameError };

const FLAGS = /^(?:-|(q[01])?(r)?)$/;
const REASON = /^[a-z][a-z0-9-]*$/;

export function encodeFlags(qos: 0 | 1, retain: boolean): string {
  if (qos === 0 && !retain) return '-';
  return `${qos === 1 ? 'q1' : ''}${retain ? 'r' : ''}`;
}

/** A topic or filter must be a single header token. */
export function isFrameToken(value: string): boolean {
  return value.length > 0 && !/[\s]/.test(value);
}

export function encodeClientFrame(frame: ClientFrame): string {
  switch (frame.kind) {
    case 'sub':
    case 'unsub':
      return `${frame.kind} ${token(frame.filter)}`;
    case 'pub':
      return `pub ${token(frame.topic)} ${encodeFlags(frame.qos, frame.retain)}\n${frame.payload}`;
    case 'will':
      if (frame.will === null) return 'will';
      return `will ${token(frame.will.topic)} ${encodeFlags(frame.will.qos, frame.will.retain)}\n${frame.will.payload}`;
    case 'bye':
      return 'bye';
  }
}

export function encodeServerFrame(frame: ServerFrame): string {
  switch (frame.kind) {
    case 'msg':
      return `msg ${token(frame.topic)}\n${frame.payload}`;
    case 'err':
      // The detail shares the header line, so a newline in it would start a payload.
      const detail = frame.detail.replace(/[\r\n]+/g, ' ');
      return detail.length > 0 ? `err ${frame.reason} ${detail}` : `err ${frame.reason}`;
  }
}

export function decodeClientFrame(text: string): Decoded<ClientFrame> {
  const { header, body } = split(text);
  if (header.length === 0) return fail('empty');
  const tokens = header.split(' ');
  const [command, target, flags] = tokens;
  switch (command) {
    case 'sub':
    case 'unsub':
      if (tokens.length !== 2 || body !== null || !isFrameToken(target ?? '')) return fail('bad-header');
      return { ok: true, frame: { kind: command, filter: target! } };
    case 'pub':
    case 'will': {
      if (command === 'will' && tokens.length === 1 && body === null) return { ok: true, frame: { kind: 'will', will: null } };
      if (tokens.length < 2 || tokens.length > 3 || !isFrameToken(target ?? '')) return fail('bad-header');
      const parsed = FLAGS.exec(flags ?? '-');
      if (!parsed) return fail('bad-flags');
      const publish: FramedPublish = { topic: target!, qos: parsed[1] === 'q1' ? 1 : 0, retain: parsed[2] === 'r', payload: body ?? '' };
      return { ok: true, frame: command === 'pub' ? { kind: 'pub', ...publish } : { kind: 'will', will: publish } };
    }
    case 'bye':
      if (tokens.length !== 1 || body !== null) return fail('bad-header');
      return { ok: true, frame: { kind: 'bye' } };
    default:
      return fail('unknown-command');
  }
}

export function decodeServerFrame(text: string): Decoded<ServerFrame> {
  const { header, body } = split(text);
  if (header.length === 0) return fail('empty');
  const space = header.indexOf(' ');
  const command = space < 0 ? header : header.slice(0, space);
  const rest = space < 0 ? '' : header.slice(space + 1);
  switch (command) {
    case 'msg':
      if (!isFrameToken(rest)) return fail('bad-header');
      return { ok: true, frame: { kind: 'msg', topic: rest, payload: body ?? '' } };
    case 'err': {
      const gap = rest.indexOf(' ');
      const reason = gap < 0 ? rest : rest.slice(0, gap);
      if (!REASON.test(reason)) return fail('bad-header');
      return { ok: true, frame: { kind: 'err', reason, detail: gap < 0 ? '' : rest.slice(gap + 1) } };
    }
    default:
      return fail('unknown-command');
  }
}

/** Header up to the first newline; body is null when there is no newline at all. */
function split(text: string): { header: string; body: string | null } {
  const newline = text.indexOf('\n');
  if (newline < 0) return { header: text, body: null };
  return { header: text.slice(0, newline), body: text.slice(newline + 1) };
}

function token(value: string): string {
  if (!isFrameToken(value)) throw new TypeError(`topic or filter ${JSON.stringify(value)} cannot be framed (empty or has whitespace)`);
  return value;
}

function fail<T>(error: FrameError): Decoded<T> {
  return { ok: false, error };
}
