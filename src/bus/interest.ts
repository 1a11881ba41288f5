/**
 * Which games this server's clients are subscribed to, as their subscriptions name them: what
 * a cluster node asks Redis for (see src/cluster), so a node receives a game's traffic only
 * while one of its clients wants it. A filter naming one game counts for that game; a filter
 * with a wildcard where the game id is (`pong/game/+/state`, `pong/#`, `#`) counts for all.
 * Counted, not remembered: the same filter twice is two subscriptions and needs two removals.
 */
import type { BusView } from './bus.js';

/** Where subscriptions are told as they come and go. */
export interface InterestSink {
  add(filter: string): void;
  remove(filter: string): void;
}

export type InterestChange = (gameId: string | typeof ALL_GAMES, interested: boolean) => void;

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

export class InterestCounter implements InterestSink {
  private readonly counts = new Map<string | typeof ALL_GAMES, number>();
  private readonly listeners: InterestChange[] = [];

  add(filter: string): void {
    const game = gameOfFilter(filter);
    if (game === null) return;
    const count = (this.counts.get(game) ?? 0) + 1;
    this.counts.set(game, count);
    if (count === 1) this.emit(game, true);
  }

  remove(filter: string): void {
    const game = gameOfFilter(filter);
    if (game === null) return;
    const count = this.counts.get(game) ?? 0;
    if (count <= 0) return;
    if (count === 1) {
      this.counts.delete(game);
      this.emit(game, false);
    } else this.counts.set(game, count - 1);
  }

  /** Whether a client here subscribes to this game (or to every game). */
  has(gameId: string): boolean {
    return this.counts.has(gameId) || this.counts.has(ALL_GAMES);
  }

  get everything(): boolean {
    return this.counts.has(ALL_GAMES);
  }

  /** The games named one by one (not the wildcard's). */
  games(): string[] {
    return [...this.counts.keys()].filter((key): key is string => typeof key === 'string');
  }

  onChange(listener: InterestChange): void {
    this.listeners.push(listener);
  }

  private emit(game: string | typeof ALL_GAMES, interested: boolean): void {
    for (const listener of this.listeners) {
      try {
        listener(game, interested);
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
