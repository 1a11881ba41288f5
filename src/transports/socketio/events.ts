/**
 * The Socket.io event protocol (default namespace `/`, path `/socket.io/`), documented in
 * docs/PROTOCOL.md for clients in other languages:
 *
 *   client → server  `pub`   (topic: string, payload: string, flags?: { qos?: 0 | 1, retain?: boolean })
 *   client → server  `sub`   (filter: string)
 *   client → server  `unsub` (filter: string)
 *   client → server  `will`  (topic: string, payload: string, flags?)  or  `will` ()  to clear it
 *   client → server  `bye`   ()  a clean disconnect follows: do not publish the will
 *   server → client  `msg`   (topic: string, payload: string)
 *   server → client  `err`   (reason: string, detail: string)
 *
 * Arguments are checked here, apart from any socket, so the gateway can refuse hostile input
 * without ever throwing and the checks can be tested from plain values.
 */
import type { PublishRequest } from '../hub.js';
import { internTopic } from '../../protocol/topics.js';

/** Socket.io's default path, on the server's shared HTTP port. */
export const SOCKETIO_PATH = '/socket.io/';

export const EVENTS = {
  publish: 'pub',
  subscribe: 'sub',
  unsubscribe: 'unsub',
  will: 'will',
  bye: 'bye',
  message: 'msg',
  error: 'err',
} as const;

const CLIENT_EVENTS: ReadonlySet<string> = new Set([EVENTS.publish, EVENTS.subscribe, EVENTS.unsubscribe, EVENTS.will, EVENTS.bye]);

export function isClientEvent(event: unknown): boolean {
  return typeof event === 'string' && CLIENT_EVENTS.has(event);
}

export interface PublishFlags {
  qos?: 0 | 1;
  retain?: boolean;
}

/**
 * A client that emits with an acknowledgement callback gets the function as its last argument;
 * we never acknowledge, so it is ignored rather than mistaken for a malformed argument.
 */
function withoutAckCallback(args: readonly unknown[]): readonly unknown[] {
  return typeof args[args.length - 1] === 'function' ? args.slice(0, -1) : args;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `pub` arguments as a hub publish request, or null when they are not well formed. */
export function parsePublish(rawArgs: readonly unknown[]): PublishRequest | null {
  const args = withoutAckCallback(rawArgs);
  if (args.length < 2 || args.length > 3) return null;
  const sent = args[0];
  const payload = args[1];
  if (typeof sent !== 'string' || typeof payload !== 'string') return null;
  const topic = internTopic(sent);
  const flags = args[2];
  // Absent flags mean a QoS 0, non-retained publish, so the simplest client can omit them.
  if (flags === undefined || flags === null) return { topic, payload };
  if (!isPlainObject(flags)) return null;
  const { qos, retain } = flags;
  if (qos !== undefined && qos !== 0 && qos !== 1) return null;
  if (retain !== undefined && typeof retain !== 'boolean') return null;
  // Built in place, one object per event: every ack and paddle move comes through here.
  const request: PublishRequest = { topic, payload };
  if (qos !== undefined) request.qos = qos;
  if (retain !== undefined) request.retain = retain;
  return request;
}

/** `will` arguments: a publish request, null to clear, or undefined when malformed. */
export function parseWill(rawArgs: readonly unknown[]): PublishRequest | null | undefined {
  if (withoutAckCallback(rawArgs).length === 0) return null;
  return parsePublish(rawArgs) ?? undefined;
}

/** `sub` / `unsub` argument, or null when it is not exactly one string. */
export function parseFilter(rawArgs: readonly unknown[]): string | null {
  const args = withoutAckCallback(rawArgs);
  if (args.length !== 1) return null;
  const [filter] = args;
  return typeof filter === 'string' ? filter : null;
}

/** `msg` arguments as received by a client: anything but two strings is dropped. */
export function parseMessage(args: readonly unknown[]): { topic: string; payload: string } | null {
  const [topic, payload] = args;
  if (args.length !== 2 || typeof topic !== 'string' || typeof payload !== 'string') return null;
  return { topic, payload };
}
