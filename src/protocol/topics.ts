import type { PlayerNumber } from './messages.js';
import { CLIENT_ID_PATTERN, GAME_ID_PATTERN } from './constants.js';
import { BoundedMemo } from './bounded-memo.js';
import { MESSAGE_KINDS, MESSAGES, type PayloadKind, type TopicLevel } from './registry.js';

export const TOPIC_ROOT = 'pong/game';

/** Kinds whose topic names a player: pong/game/<id>/p<n>/paddle, pong/game/<id>/ack/p<n>. */
export type PlayerTopicKind = 'paddle' | 'ack';
/** Kinds whose topic names a client: seat/<clientId>, watch/<clientId>/... */
export type ClientTopicKind = 'seat' | 'watcherAck' | 'watcherStats';
/** Topics addressed to the game as a whole. */
export type GameTopicKind = Exclude<PayloadKind, PlayerTopicKind | ClientTopicKind>;

export type ParsedTopic =
  | { gameId: string; kind: GameTopicKind }
  | { gameId: string; kind: PlayerTopicKind; player: PlayerNumber }
  | { gameId: string; kind: ClientTopicKind; clientId: string };

/** A topic of `kind` for `gameId`; `param` fills the kind's placeholder (a player, a client id, or `+`). */
export function topicOf(kind: PayloadKind, gameId: string, param?: PlayerNumber | string): string {
  return topicFrom(MESSAGES[kind].topic, gameId, param);
}

/**
 * Every topic a receiver of `kind` listens to: the kind's own and those older clients still
 * send it on (see MessageSpec.formerTopics); `param` as in topicOf, usually `+`.
 */
export function topicsReceived(kind: PayloadKind, gameId: string, param?: PlayerNumber | string): string[] {
  const { topic, formerTopics = [] } = MESSAGES[kind];
  return [topic, ...formerTopics].map((levels) => topicFrom(levels, gameId, param));
}

function topicFrom(levels: readonly TopicLevel[], gameId: string, param: PlayerNumber | string | undefined): string {
  const filled = levels.map((level: TopicLevel) => {
    if (level === '{player}') return param === '+' ? '+' : `p${String(param)}`;
    if (level === '{clientId}') return String(param);
    return level;
  });
  return `${TOPIC_ROOT}/${gameId}/${filled.join('/')}`;
}

export const topics = {
  ball: (gameId: string) => topicOf('ball', gameId),
  state: (gameId: string) => topicOf('state', gameId),
  join: (gameId: string) => topicOf('join', gameId),
  leave: (gameId: string) => topicOf('leave', gameId),
  /** The server's answer to one client's join. */
  seat: (gameId: string, clientId: string) => topicOf('seat', gameId, clientId),
  serve: (gameId: string) => topicOf('serve', gameId),
  restart: (gameId: string) => topicOf('restart', gameId),
  ready: (gameId: string) => topicOf('ready', gameId),
  stats: (gameId: string) => topicOf('stats', gameId),
  paddle: (gameId: string, player: PlayerNumber) => topicOf('paddle', gameId, player),
  ack: (gameId: string, player: PlayerNumber) => topicOf('ack', gameId, player),
  /** Watchers (spectators that measure latency) ack here, one topic per client. */
  watcherAck: (gameId: string, clientId: string) => topicOf('watcherAck', gameId, clientId),
  /** The server's figures for one watcher, sent to it alone (about twice a second). */
  watcherStats: (gameId: string, clientId: string) => topicOf('watcherStats', gameId, clientId),
  /** Everything about one game: what `mosquitto_sub -t` takes. */
  all: (gameId: string) => `${TOPIC_ROOT}/${gameId}/#`,
  /** Subscription filters the server uses across all games. */
  anyGame: (kind: GameTopicKind) => topicOf(kind, '+'),
  anyPlayer: (kind: PlayerTopicKind) => topicOf(kind, '+', '+'),
  anyWatcherAck: () => topicOf('watcherAck', '+', '+'),
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

/** Each kind's levels after the game id (its own, then its former ones), matched in the registry's order. */
const PATTERNS = MESSAGE_KINDS.flatMap((kind) => [MESSAGES[kind].topic, ...(MESSAGES[kind].formerTopics ?? [])].map((levels) => ({ kind, levels })));

function splitTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== 'pong' || parts[1] !== 'game') return null;
  const gameId = parts[2];
  if (gameId === undefined || !GAME_ID_PATTERN.test(gameId)) return null;
  const rest = parts.slice(3);
  for (const { kind, levels } of PATTERNS) {
    if (levels.length !== rest.length) continue;
    let player: PlayerNumber | undefined;
    let clientId: string | undefined;
    const matches = levels.every((level, i) => {
      const part = rest[i]!;
      if (level === '{player}') {
        player = part === 'p1' ? 1 : part === 'p2' ? 2 : undefined;
        return player !== undefined;
      }
      if (level === '{clientId}') {
        clientId = part;
        return CLIENT_ID_PATTERN.test(part);
      }
      return level === part;
    });
    if (!matches) continue;
    if (player !== undefined) return { gameId, kind: kind as PlayerTopicKind, player };
    if (clientId !== undefined) return { gameId, kind: kind as ClientTopicKind, clientId };
    return { gameId, kind: kind as GameTopicKind };
  }
  return null;
}
