/**
 * Which games this server's clients are subscribed to, and to which side of each: the messages
 * its server publishes (frames, state, stats, seat answers) or those its clients do (paddles,
 * acks, joins). That is what a cluster node asks Redis for (see src/cluster): a node receives
 * a game's traffic only while one of its clients wants it, and a player, who subscribes to the
 * server's side alone, never brings it the other players' 60 Hz paddles and acks.
 *
 * A filter naming one game counts for that game; a filter with a wildcard where the game id is
 * (`pong/game/+/state`, `pong/#`, `#`) counts for all. Counted, not remembered: the same filter
 * twice is two subscriptions and needs two removals.
 */
import { MESSAGE_KINDS, MESSAGES, isServerKind } from '../protocol/registry.js';
import type { BusView } from './bus.js';

/** Where subscriptions are told as they come and go. */
export interface InterestSink {
  add(filter: string): void;
  remove(filter: string): void;
}

/** The server's messages of a game, or its clients'. */
export type Side = 'server' | 'client';
export const SIDES: readonly Side[] = ['server', 'client'];

export type InterestChange = (gameId: string | typeof ALL_GAMES, side: Side, interested: boolean) => void;

/** The key under which wildcard subscriptions are counted. */
export const ALL_GAMES = Symbol('all games');

const PREFIX = 'pong/game/';

/** The game a filter names, ALL_GAMES when it may match any game, null when it matches none. */
export function gameOfFilter(filter: string): string | typeof ALL_GAMES | null {
  if (filter === '#' || filter === 'pong/#' || filter === '+/#' || filter === 'pong/+/#' || filter === 'pong/game/#') return ALL_GAMES;
  if (filter.startsWith('+/') || filter.startsWith('pong/+/')) return ALL_GAMES;
  if (!filter.startsWith(PREFIX)) return null;
  const rest = filter.slice(PREFIX.length);
  const end = rest.indexOf('/');
  const id = end === -1 ? rest : rest.slice(0, end);
  if (id === '+' || id === '#') return ALL_GAMES;
  return id.length === 0 ? null : id;
}

/** Every topic shape a game's messages take, as levels from `pong`, with the side that publishes it. */
const SHAPES = MESSAGE_KINDS.flatMap((kind) =>
  [MESSAGES[kind].topic, ...(MESSAGES[kind].formerTopics ?? [])].map((levels) => ({
    side: (isServerKind(kind) ? 'server' : 'client') as Side,
    levels: ['pong', 'game', '{game}', ...levels],
  })),
);

/** Whether a filter may match some topic of this shape (a placeholder may be any word). */
function mayMatch(filter: readonly string[], shape: readonly string[]): boolean {
  for (let i = 0; i < filter.length; i++) {
    const level = filter[i]!;
    if (level === '#') return true;
    if (i >= shape.length) return false;
    if (level === '+' || shape[i]!.startsWith('{')) continue;
    if (level !== shape[i]) return false;
  }
  return filter.length === shape.length;
}

/** Which sides of a game's messages a filter may match (a player's filters: the server's alone). */
export function sidesOfFilter(filter: string): Side[] {
  const levels = filter.split('/');
  return SIDES.filter((side) => SHAPES.some((shape) => shape.side === side && mayMatch(levels, shape.levels)));
}

export class InterestCounter implements InterestSink {
  private readonly counts: Record<Side, Map<string | typeof ALL_GAMES, number>> = { server: new Map(), client: new Map() };
  private readonly listeners: InterestChange[] = [];

  add(filter: string): void {
    const game = gameOfFilter(filter);
    if (game === null) return;
    for (const side of sidesOfFilter(filter)) {
      const counts = this.counts[side];
      const count = (counts.get(game) ?? 0) + 1;
      counts.set(game, count);
      if (count === 1) this.emit(game, side, true);
    }
  }

  remove(filter: string): void {
    const game = gameOfFilter(filter);
    if (game === null) return;
    for (const side of sidesOfFilter(filter)) {
      const counts = this.counts[side];
      const count = counts.get(game) ?? 0;
      if (count <= 0) continue;
      if (count === 1) {
        counts.delete(game);
        this.emit(game, side, false);
      } else counts.set(game, count - 1);
    }
  }

  /** Whether a client here subscribes to this side of this game (or of every game). */
  has(gameId: string, side: Side): boolean {
    const counts = this.counts[side];
    return counts.has(gameId) || counts.has(ALL_GAMES);
  }

  /** Whether a client here subscribes to this side of every game. */
  everything(side: Side): boolean {
    return this.counts[side].has(ALL_GAMES);
  }

  /** The games named one by one (not the wildcard's), on either side. */
  games(): string[] {
    const games = new Set<string>();
    for (const side of SIDES) for (const key of this.counts[side].keys()) if (typeof key === 'string') games.add(key);
    return [...games];
  }

  onChange(listener: InterestChange): void {
    this.listeners.push(listener);
  }

  private emit(game: string | typeof ALL_GAMES, side: Side, interested: boolean): void {
    for (const listener of this.listeners) {
      try {
        listener(game, side, interested);
      } catch {
        // A listener's failure must not undo the count.
      }
    }
  }
}

/** The bus as a gateway sees it, every subscription it makes counted in `interest`. */
export function countingBus(bus: BusView, interest: InterestCounter): BusView {
  return {
    publish: (topic, payload, options) => bus.publish(topic, payload, options),
    retainedMessage: (topic) => bus.retainedMessage(topic),
    subscribe: (filter, handler) => {
      const unsubscribe = bus.subscribe(filter, handler);
      interest.add(filter);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        unsubscribe();
        interest.remove(filter);
      };
    },
  };
}
