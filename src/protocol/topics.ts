import type { PlayerNumber } from './messages.js';
import { CLIENT_ID_PATTERN, GAME_ID_PATTERN } from './constants.js';
import { BoundedMemo } from './bounded-memo.js';

export const TOPIC_ROOT = 'pong/game';

/** Topics addressed to the game as a whole. */
export type GameTopicKind = 'ball' | 'state' | 'join' | 'leave' | 'serve' | 'restart' | 'ready' | 'stats';
/** Topics published by one player: pong/game/<id>/p<n>/<kind>. */
export type PlayerTopicKind = 'paddle' | 'ack';

export type ParsedTopic =
  | { gameId: string; kind: GameTopicKind }
  | { gameId: string; kind: PlayerTopicKind; player: PlayerNumber }
  | { gameId: string; kind: 'watcherAck' | 'watcherStats' | 'seat'; clientId: string };

const GAME_KINDS: ReadonlySet<string> = new Set<GameTopicKind>([
  'ball',
  'state',
  'join',
  'leave',
  'serve',
  'restart',
  'ready',
  'stats',
]);

export const topics = {
  ball: (gameId: string) => `${TOPIC_ROOT}/${gameId}/ball`,
  state: (gameId: string) => `${TOPIC_ROOT}/${gameId}/state`,
  join: (gameId: string) => `${TOPIC_ROOT}/${gameId}/join`,
  leave: (gameId: string) => `${TOPIC_ROOT}/${gameId}/leave`,
  /** The server's answer to one client's join. */
  seat: (gameId: string, clientId: string) => `${TOPIC_ROOT}/${gameId}/seat/${clientId}`,
  serve: (gameId: string) => `${TOPIC_ROOT}/${gameId}/serve`,
  restart: (gameId: string) => `${TOPIC_ROOT}/${gameId}/restart`,
  ready: (gameId: string) => `${TOPIC_ROOT}/${gameId}/ready`,
  stats: (gameId: string) => `${TOPIC_ROOT}/${gameId}/stats`,
  paddle: (gameId: string, player: PlayerNumber) => `${TOPIC_ROOT}/${gameId}/p${player}/paddle`,
  ack: (gameId: string, player: PlayerNumber) => `${TOPIC_ROOT}/${gameId}/p${player}/ack`,
  /** Watchers (spectators that measure latency) ack here, one topic per client. */
  watcherAck: (gameId: string, clientId: string) => `${TOPIC_ROOT}/${gameId}/watch/${clientId}/ack`,
  /** The server's figures for one watcher, sent to it alone (about twice a second). */
  watcherStats: (gameId: string, clientId: string) => `${TOPIC_ROOT}/${gameId}/watch/${clientId}/stats`,
  /** Everything about one game: what `mosquitto_sub -t` takes. */
  all: (gameId: string) => `${TOPIC_ROOT}/${gameId}/#`,
  /** Subscription filters the server uses across all games. */
  anyGame: (kind: GameTopicKind) => `${TOPIC_ROOT}/+/${kind}`,
  anyPlayer: (kind: PlayerTopicKind) => `${TOPIC_ROOT}/+/+/${kind}`,
  anyWatcherAck: () => `${TOPIC_ROOT}/+/watch/+/ack`,
} as const;

export function isValidGameId(id: string): boolean {
  return GAME_ID_PATTERN.test(id);
}

/**
 * Every ack and paddle message is parsed by the publish policy and again by its room, on a few
 * topics per game: answers are remembered (bounded, since clients choose the topics they send).
 */
const parsed = new BoundedMemo<string, Readonly<ParsedTopic> | null>(16_384, (topic) => {
  const result = splitTopic(topic);
  return result === null ? null : Object.freeze(result);
});

/**
 * One string per topic. A client's topic arrives as a new string in every frame it sends, and
 * each lookup keyed by it on the way to its room (the hub's checks, the publish policy, the
 * bus's matches, the room's parse) would compare it character by character with the key it
 * finds. Interned once, where a gateway decodes it, the others find their key by identity.
 * Bounded like the memos it serves; past the bound it starts over, which is never wrong.
 */
const interned = new BoundedMemo<string, string>(16_384, (topic) => topic);

export function internTopic(topic: string): string {
  return interned.get(topic);
}

/** Splits a concrete topic into its parts; null for anything that is not one of ours. */
export function parseTopic(topic: string): Readonly<ParsedTopic> | null {
  return parsed.get(topic);
}

function splitTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== 'pong' || parts[1] !== 'game') return null;
  const gameId = parts[2];
  if (gameId === undefined || !GAME_ID_PATTERN.test(gameId)) return null;
  if (parts.length === 4) {
    const kind = parts[3]!;
    return GAME_KINDS.has(kind) ? { gameId, kind: kind as GameTopicKind } : null;
  }
  if (parts.length === 5 && parts[3] === 'seat') {
    const clientId = parts[4]!;
    return CLIENT_ID_PATTERN.test(clientId) ? { gameId, kind: 'seat', clientId } : null;
  }
  if (parts.length === 5) {
    const who = parts[3]!;
    const kind = parts[4]!;
    const player = who === 'p1' ? 1 : who === 'p2' ? 2 : null;
    if (player === null || (kind !== 'paddle' && kind !== 'ack')) return null;
    return { gameId, kind, player };
  }
  if (parts.length === 6 && parts[3] === 'watch' && (parts[5] === 'ack' || parts[5] === 'stats')) {
    const clientId = parts[4]!;
    if (!CLIENT_ID_PATTERN.test(clientId)) return null;
    return { gameId, kind: parts[5] === 'ack' ? 'watcherAck' : 'watcherStats', clientId };
  }
  return null;
}
