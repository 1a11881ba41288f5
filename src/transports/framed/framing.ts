/**
 * The text framing of the framed transports: one frame is one WebSocket message (ws) or one
 * data-channel message (WebRTC). Its first line is a header of space-separated tokens; for
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
import { internTopic } from '../../protocol/topics.js';

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

/** The `msg` frame of a bus message, in the shape LastEncoded takes. */
export function encodeServerMessage(topic: string, payload: string): string {
  return encodeServerFrame({ kind: 'msg', topic, payload });
}

export function decodeClientFrame(text: string): Decoded<ClientFrame> {
  // Read in place rather than split into header, tokens and a flags match: every ack and
  // paddle move is one of these, and the pieces were most of what decoding one allocated.
  const newline = text.indexOf('\n');
  const headerEnd = newline < 0 ? text.length : newline;
  if (headerEnd === 0) return fail('empty');
  const body = newline < 0 ? null : text.slice(newline + 1);
  const commandEnd = spaceOrEnd(text, 0, headerEnd);
  const command = commandAt(text, commandEnd);
  if (command === null) return fail('unknown-command');
  if (commandEnd === headerEnd) {
    // The header is the command alone.
    if (command === 'bye' && body === null) return { ok: true, frame: { kind: 'bye' } };
    if (command === 'will' && body === null) return { ok: true, frame: { kind: 'will', will: null } };
    return fail('bad-header');
  }
  const targetEnd = spaceOrEnd(text, commandEnd + 1, headerEnd);
  const target = text.slice(commandEnd + 1, targetEnd);
  switch (command) {
    case 'sub':
    case 'unsub':
      if (targetEnd !== headerEnd || body !== null || !isFrameToken(target)) return fail('bad-header');
      return { ok: true, frame: { kind: command, filter: target } };
    case 'pub':
    case 'will': {
      const flagsEnd = targetEnd === headerEnd ? headerEnd : spaceOrEnd(text, targetEnd + 1, headerEnd);
      if (flagsEnd !== headerEnd || !isFrameToken(target)) return fail('bad-header');
      const flags = targetEnd === headerEnd ? NO_FLAGS : flagsAt(text, targetEnd + 1, headerEnd);
      if (flags < 0) return fail('bad-flags');
      const qos = flags & QOS1 ? 1 : 0;
      const retain = (flags & RETAIN) !== 0;
      const payload = body ?? '';
      const topic = internTopic(target);
      if (command === 'pub') return { ok: true, frame: { kind: 'pub', topic, qos, retain, payload } };
      return { ok: true, frame: { kind: 'will', will: { topic, qos, retain, payload } } };
    }
    case 'bye':
      return fail('bad-header');
  }
}

type Command = 'sub' | 'unsub' | 'pub' | 'will' | 'bye';
const COMMANDS: readonly Command[] = ['pub', 'sub', 'unsub', 'will', 'bye'];

/** The command the header starts with, if it is exactly one of ours (case matters). */
function commandAt(text: string, end: number): Command | null {
  for (const command of COMMANDS) if (command.length === end && text.startsWith(command)) return command;
  return null;
}

/** The first space in text[from, end), or end: header tokens are split on single spaces. */
function spaceOrEnd(text: string, from: number, end: number): number {
  const space = text.indexOf(' ', from);
  return space < 0 || space >= end ? end : space;
}

const NO_FLAGS = 0;
const QOS1 = 1;
const RETAIN = 2;

/** text[start, end) as flags (QOS1 | RETAIN), or -1: the spellings `-`, `` and (q0|q1)?r? only. */
function flagsAt(text: string, start: number, end: number): number {
  const length = end - start;
  if (length === 0) return NO_FLAGS;
  const retain = text.charCodeAt(end - 1) === R ? RETAIN : 0;
  const qosLength = retain === 0 ? length : length - 1;
  if (qosLength === 0) return retain;
  if (qosLength === 1) return retain === 0 && text.charCodeAt(start) === DASH ? NO_FLAGS : -1;
  if (qosLength !== 2 || text.charCodeAt(start) !== Q) return -1;
  const level = text.charCodeAt(start + 1);
  if (level === ZERO) return retain;
  return level === ONE ? QOS1 | retain : -1;
}

const DASH = 45;
const ZERO = 48;
const ONE = 49;
const Q = 113;
const R = 114;

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
