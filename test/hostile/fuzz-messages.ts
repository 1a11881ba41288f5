/**
 * Random and malformed messages for one game, each with the counter that must count it: a
 * gateway refusal (by reason) or the room's own validation (by payload kind). Nothing here is
 * ever valid, so every message is dropped and counted exactly once somewhere.
 */
export type Expectation = { where: 'gateway'; reason: string } | { where: 'room'; kind: 'join' | 'watcherAck' };

export interface FuzzPublish {
  topic: string;
  payload: string;
  retain: boolean;
  expect: Expectation;
}

/** Seeded, so a failing run can be replayed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'abcXYZ019 {}[]":,.-+eE\\/\t#$%&*é✓😀\u0000\u007f';

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function randomText(rng: () => number, max: number, newlines = true): string {
  const length = Math.floor(rng() * max);
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(rng() * ALPHABET.length)];
  return newlines ? text : text.replace(/\n/g, ' ');
}

/** Payloads no decoder accepts as a join or an ack: garbage, wrong types, NaN, Infinity, huge numbers. */
function hostilePayload(rng: () => number, newlines: boolean): string {
  const fixed = [
    '',
    'null',
    '"a string"',
    '42',
    '[1,2,3]',
    '{"player":1,"timestamp":NaN}',
    '{"spectator":true,"timestamp":1e400}',
    '{"spectator":true,"timestamp":"1763774400000"}',
    '{"player":3,"timestamp":1763774400000}',
    '{"player":1.5,"timestamp":1763774400000}',
    '{"spectator":true,"timestamp":-1}',
    '{"seq":-1,"timestamp":1763774400000,"rx":1763774400001}',
    '{"seq":1e308,"timestamp":1e308,"rx":1e308}',
    '{"seq":"NaN","timestamp":"Infinity","rx":null}',
    '{"__proto__":{"player":1},"constructor":{"prototype":{}}}',
    '{}',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
    '{"player":1,"timestamp":1763774400000,"name":' + '"' + 'x'.repeat(200) + '"}',
  ];
  if (rng() < 0.5) return pick(rng, fixed);
  // Never a JSON object with a clientId (the gateway checks whose name a join carries).
  const text = randomText(rng, 300, newlines);
  return text.startsWith('{') ? `x${text}` : text;
}

export interface FuzzOptions {
  gameId: string;
  /** The clientId the connection declared: its own watcher topic. */
  clientId: string;
  /** MQTT cannot carry wildcards in a publish topic (the broker closes the connection). */
  mqtt: boolean;
  /** Payloads on one line (mosquitto_pub -l). */
  oneLine?: boolean;
}

export function fuzzPublish(rng: () => number, options: FuzzOptions): FuzzPublish {
  const game = `pong/game/${options.gameId}`;
  const newlines = options.oneLine !== true;
  const payload = hostilePayload(rng, newlines);
  const gateway = (reason: string) => ({ where: 'gateway', reason }) as const;
  const roll = rng();
  if (roll < 0.3) return { topic: `${game}/join`, payload, retain: false, expect: { where: 'room', kind: 'join' } };
  if (roll < 0.55) return { topic: `${game}/watch/${options.clientId}/ack`, payload, retain: false, expect: { where: 'room', kind: 'watcherAck' } };
  if (roll < 0.63) return { topic: `${game}/${pick(rng, ['ball', 'state', 'stats', 'seat/someone', 'watch/someone/stats'])}`, payload, retain: rng() < 0.5, expect: gateway('server-topic') };
  if (roll < 0.7) return { topic: `${game}/${pick(rng, ['p1/paddle', 'p2/paddle', 'ack/p1', 'ack/p2', 'p1/ack'])}`, payload, retain: false, expect: gateway('seat') };
  if (roll < 0.75) return { topic: `${game}/join`, payload, retain: true, expect: gateway('retained') };
  if (roll < 0.8) return { topic: `${game}/watch/someone-else/ack`, payload, retain: false, expect: gateway('not-yours') };
  if (roll < 0.86) return { topic: pick(rng, [`${game}/nonsense`, `${game}/p3/paddle`, 'pong/server/stats', `pong/game/no such game/join`.replace(/ /g, '_') + '/x']), payload, retain: false, expect: gateway('unknown-topic') };
  // Just over the payload limit: a whole ws frame over 4368 bytes closes the connection instead.
  if (roll < 0.9 || options.mqtt) {
    if (roll < 0.93 || !options.mqtt) return { topic: `${game}/join`, payload: 'x'.repeat(4097 + Math.floor(rng() * 200)), retain: false, expect: gateway('payload-too-large') };
    return { topic: `${game}/${'x'.repeat(260)}`, payload, retain: false, expect: gateway('bad-topic') };
  }
  return { topic: pick(rng, [`${game}/+/paddle`, `${game}/#`, `${game}//join`, 'elsewhere/join', `${game}/`]), payload, retain: false, expect: gateway('bad-topic') };
}

/** Expected counts: gateway reasons and room kinds. */
export class Tally {
  readonly gateway = new Map<string, number>();
  readonly room = new Map<string, number>();
  sent = 0;

  add(expectation: Expectation): void {
    this.sent += 1;
    const map = expectation.where === 'gateway' ? this.gateway : this.room;
    const key = expectation.where === 'gateway' ? expectation.reason : expectation.kind;
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}
