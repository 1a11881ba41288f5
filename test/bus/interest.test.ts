import { describe, expect, it } from 'vitest';
import { ALL_GAMES, countingBus, gameOfFilter, InterestCounter, sidesOfFilter } from '../../src/bus/interest.js';
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

  it('reads which side of a game a filter wants: a player\'s filters the server\'s alone, `#` both', () => {
    // What a player's session subscribes to (client/game-feed.ts): never another client's paddles or acks.
    for (const filter of ['pong/game/g/ball', 'pong/game/g/state', 'pong/game/g/stats', 'pong/game/g/seat/me', 'pong/game/g/watch/me/stats']) {
      expect({ filter, sides: sidesOfFilter(filter) }).toEqual({ filter, sides: ['server'] });
    }
    for (const filter of ['pong/game/g/#', '#', 'pong/game/+/+', 'pong/+/+/+/+']) {
      expect({ filter, sides: sidesOfFilter(filter) }).toEqual({ filter, sides: ['server', 'client'] });
    }
    // The classic demo's clients: the other paddle, and everything under a player.
    expect(sidesOfFilter('pong/game/g/p2/paddle')).toEqual(['client']);
    expect(sidesOfFilter('pong/game/g/p1/#')).toEqual(['client']);
    expect(sidesOfFilter('pong/game/g/ack/+')).toEqual(['client']);
    expect(sidesOfFilter('pong/game/g/nothing')).toEqual([]);
  });

  it('counts subscriptions and says when a game gains its first and loses its last', () => {
    const interest = new InterestCounter();
    const changes: Array<[string | symbol, string, boolean]> = [];
    interest.onChange((game, side, on) => changes.push([game, side, on]));
    interest.add('pong/game/g/#');
    interest.add('pong/game/g/ball');
    interest.remove('pong/game/g/#');
    expect(interest.has('g', 'server')).toBe(true);
    expect(interest.has('g', 'client')).toBe(false);
    interest.remove('pong/game/g/ball');
    interest.remove('pong/game/g/ball');
    expect(interest.has('g', 'server')).toBe(false);
    interest.add('pong/game/+/state');
    expect(interest.has('anything', 'server')).toBe(true);
    expect(interest.everything('client')).toBe(false);
    expect(changes).toEqual([
      ['g', 'server', true],
      ['g', 'client', true],
      ['g', 'client', false],
      ['g', 'server', false],
      [ALL_GAMES, 'server', true],
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
