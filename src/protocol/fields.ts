/**
 * The field primitives every decoder is made of. Everything off the wire is untrusted: a
 * primitive returns the value it was asked for or throws a Reject with the reason (only inside
 * the protocol folder, always caught by validate.ts's entry points).
 *
 * Number rules: a field of the wrong JSON type, a string such as "NaN", a non-integer where an
 * integer is required or a string outside its charset is `bad-field`; a number of the right kind
 * but outside its bounds (1e308, a negative seq, player 3, a 500-character name) is `out-of-range`.
 */
import { MAX_TIMESTAMP } from './constants.js';
import type { PlayerNumber } from './messages.js';

export type DropReason = 'too-large' | 'not-json' | 'not-object' | 'bad-field' | 'out-of-range';

export type Obj = Record<string, unknown>;

export const TRANSPORT_PATTERN = /^[a-z0-9-]{1,16}$/;
export const COUNTER_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/**
 * Names end up on a terminal: letters, marks, digits, punctuation, symbols and plain spaces
 * only, so no control characters, escape sequences or bidi overrides reach the screen.
 */
export const NAME_PATTERN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;
/** Seat tokens are opaque to clients: URL-safe characters, bounded. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Thrown only by the primitives and decoders, and always caught by validate.ts. */
export class Reject {
  constructor(readonly reason: DropReason) {}
}

export function reject(reason: DropReason): never {
  throw new Reject(reason);
}

export function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function field(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** Optional fields: absent or null both mean "not given". */
export function present(o: Obj, key: string): boolean {
  const v = field(o, key);
  return v !== undefined && v !== null;
}

export function finite(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) reject('bad-field');
  return v;
}

export function inRange(v: unknown, lo: number, hi: number): number {
  const n = finite(v);
  if (n < lo || n > hi) reject('out-of-range');
  return n;
}

export function integer(v: unknown, lo: number, hi: number): number {
  const n = finite(v);
  if (n < lo || n > hi) reject('out-of-range');
  if (!Number.isInteger(n)) reject('bad-field');
  return n;
}

export function timestamp(v: unknown): number {
  const n = finite(v);
  if (n <= 0 || n >= MAX_TIMESTAMP) reject('out-of-range');
  return n;
}

export function seq(v: unknown): number {
  return integer(v, 0, Number.MAX_SAFE_INTEGER);
}

export function player(v: unknown): PlayerNumber {
  const n = finite(v);
  if (!Number.isInteger(n)) reject('bad-field');
  if (n !== 1 && n !== 2) reject('out-of-range');
  return n;
}

export function boolean(v: unknown): boolean {
  if (typeof v !== 'boolean') reject('bad-field');
  return v;
}

export function string(v: unknown, maxLength: number, pattern: RegExp): string {
  if (typeof v !== 'string') reject('bad-field');
  if (v.length > maxLength) reject('out-of-range');
  if (!pattern.test(v)) reject('bad-field');
  return v;
}

export function token(v: unknown): string {
  return string(v, 64, TOKEN_PATTERN);
}

/**
 * Object.fromEntries defines own data properties, so a key such as "__proto__" stays a plain key
 * instead of replacing the result's prototype.
 */
export function decodeRecord<T>(v: unknown, maxKeys: number, keyPattern: RegExp, decode: (value: unknown) => T): Record<string, T> {
  if (!isPlainObject(v)) reject('bad-field');
  const keys = Object.keys(v);
  if (keys.length > maxKeys) reject('out-of-range');
  return Object.fromEntries(
    keys.map((key) => {
      if (!keyPattern.test(key)) reject('bad-field');
      return [key, decode(v[key])];
    }),
  );
}
