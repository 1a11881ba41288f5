import { describe, expect, it } from 'vitest';
import { ALL_GAMES, countingBus, gameOfFilter, InterestCounter } from '../../src/bus/interest.js';
import { TopicBus } from '../../src/bus/bus.js';

describe('interest: which games a node\'s clients subscribe to', () => {
  it('reads the game from a filter, a wildcard where the game is meaning every game', () => {
    expect(gameOfFilter('pong/game/demo/#')).toBe('demo');
    expect(gameOfFilter('pong/game/demo/ball')).toBe('demo');
    expect(gameOfFilter('pong/game/+/state')).toBe(ALL_GAMES);
    expect(gameOfFilter('pong/#')).toBe(ALL_GAMES);
    expect(gameOfFilter('#')).toBe(ALL_GAMES);
    expect(gameOfFilter('other/topic')).toBeNull();
  });

  it('counts subscriptions and says when a game gains its first and loses its last', () => {
    const interest = new InterestCounter();
    const changes: Array<[string | symbol, boolean]> = [];
    interest.onChange((game, on) => changes.push([game, on]));
    interest.add('pong/game/g/#');
    interest.add('pong/game/g/ball');
    interest.remove('pong/game/g/#');
    expect(interest.has('g')).toBe(true);
    interest.remove('pong/game/g/ball');
    interest.remove('pong/game/g/ball');
    expect(interest.has('g')).toBe(false);
    interest.add('pong/game/+/state');
    expect(interest.has('anything')).toBe(true);
    expect(changes).toEqual([
      ['g', true],
      ['g', false],
      [ALL_GAMES, true],
    ]);
  });

  it('counts a gateway\'s bus subscriptions, each unsubscribe once', () => {
    const interest = new InterestCounter();
    const bus = countingBus(new TopicBus(), interest);
    const off = bus.subscribe('pong/game/x/state', () => {});
    expect(interest.games()).toEqual(['x']);
    off();
    off();
    expect(interest.games()).toEqual([]);
  });
});
