import { describe, expect, it } from 'vitest';
import { TopicBus, type BusMessage } from '../../src/bus/bus.js';

function recorder() {
  const seen: string[] = [];
  return { seen, handler: (message: BusMessage) => seen.push(`${message.topic} ${message.payload}`) };
}

describe('TopicBus', () => {
  it('matches MQTT filters: + one level, # the rest', () => {
    const bus = new TopicBus();
    const one = recorder();
    const some = recorder();
    bus.subscribe('pong/game/+/ball', one.handler);
    bus.subscribe('pong/game/a/#', some.handler);
    bus.publish('pong/game/a/ball', '1');
    bus.publish('pong/game/b/ball', '2');
    bus.publish('pong/game/a/p1/ack', '3');
    expect(one.seen).toEqual(['pong/game/a/ball 1', 'pong/game/b/ball 2']);
    expect(some.seen).toEqual(['pong/game/a/ball 1', 'pong/game/a/p1/ack 3']);
  });

  it('a subscription made after a topic was published (and remembered) still gets the next message', () => {
    const bus = new TopicBus();
    const early = recorder();
    bus.subscribe('pong/game/a/ball', early.handler);
    bus.publish('pong/game/a/ball', '1');
    const late = recorder();
    bus.subscribe('pong/game/+/ball', late.handler);
    bus.publish('pong/game/a/ball', '2');
    expect(early.seen).toEqual(['pong/game/a/ball 1', 'pong/game/a/ball 2']);
    expect(late.seen).toEqual(['pong/game/a/ball 2']);
  });

  it('an unsubscribed handler gets nothing more, even on a topic it matched before', () => {
    const bus = new TopicBus();
    const gone = recorder();
    const stays = recorder();
    const unsubscribe = bus.subscribe('pong/game/a/ball', gone.handler);
    bus.subscribe('pong/game/a/ball', stays.handler);
    bus.publish('pong/game/a/ball', '1');
    unsubscribe();
    bus.publish('pong/game/a/ball', '2');
    expect(gone.seen).toEqual(['pong/game/a/ball 1']);
    expect(stays.seen).toEqual(['pong/game/a/ball 1', 'pong/game/a/ball 2']);
  });

  it('one handler subscribed through two matching filters gets each message once', () => {
    const bus = new TopicBus();
    const both = recorder();
    bus.subscribe('pong/game/a/ball', both.handler);
    bus.subscribe('pong/game/#', both.handler);
    bus.publish('pong/game/a/ball', '1');
    expect(both.seen).toEqual(['pong/game/a/ball 1']);
  });

  it('delivers the retained message on subscribe, and an empty retained payload clears it', () => {
    const bus = new TopicBus();
    bus.publish('pong/game/a/state', 'S1', { retain: true });
    const first = recorder();
    bus.subscribe('pong/game/+/state', first.handler);
    expect(first.seen).toEqual(['pong/game/a/state S1']);
    bus.publish('pong/game/a/state', '', { retain: true });
    const second = recorder();
    bus.subscribe('pong/game/+/state', second.handler);
    expect(second.seen).toEqual([]);
    expect(bus.retainedMessage('pong/game/a/state')).toBeUndefined();
  });

  it('a throwing handler is counted and the others still get the message', () => {
    const bus = new TopicBus();
    const after = recorder();
    bus.subscribe('pong/game/a/ball', () => {
      throw new Error('faulty subscriber');
    });
    bus.subscribe('pong/game/a/ball', after.handler);
    bus.publish('pong/game/a/ball', '1');
    expect(after.seen).toEqual(['pong/game/a/ball 1']);
    expect(bus.errors).toBe(1);
  });

  it('stays correct past the number of topics it remembers', () => {
    const bus = new TopicBus();
    const all = recorder();
    bus.subscribe('pong/game/+/ball', all.handler);
    for (let i = 0; i < 20_000; i++) bus.publish(`pong/game/g${i}/ball`, String(i));
    bus.publish('pong/game/g0/ball', 'again');
    expect(all.seen).toHaveLength(20_001);
    expect(all.seen.at(-1)).toBe('pong/game/g0/ball again');
  });
});

describe('TopicBus retained delivery', () => {
  it('a concrete filter gets its own topic\'s retained message and no other', () => {
    const bus = new TopicBus();
    bus.publish('pong/game/a/state', 'A', { retain: true });
    bus.publish('pong/game/b/state', 'B', { retain: true });
    const concrete = recorder();
    bus.subscribe('pong/game/b/state', concrete.handler);
    expect(concrete.seen).toEqual(['pong/game/b/state B']);
    const none = recorder();
    bus.subscribe('pong/game/c/state', none.handler);
    expect(none.seen).toEqual([]);
    const wild = recorder();
    bus.subscribe('pong/game/+/state', wild.handler);
    expect(wild.seen.sort()).toEqual(['pong/game/a/state A', 'pong/game/b/state B']);
  });
});
