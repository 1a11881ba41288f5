/**
 * The server's state file: what a room saves comes back as the same game, written atomically,
 * and a damaged or hostile file yields no game rather than a broken one.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoomManager } from '../../src/game/rooms.js';
import type { StateMessage } from '../../src/protocol/messages.js';
import { topics } from '../../src/protocol/topics.js';
import { TopicBus } from '../../src/bus/bus.js';
import { parseStateFile, StateStore } from '../../src/server/state-store.js';
import type { RoomSnapshot } from '../../src/game/snapshot.js';

const T0 = 1_700_000_000_000;
let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pong-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function manager(store: StateStore, time: { now: number }) {
  const bus = new TopicBus();
  const rooms = new RoomManager({
    bus,
    clock: () => time.now,
    fps: 60,
    pointsToWin: 5,
    onStateChange: (room) => store.update(room.gameId, room.snapshot()),
  });
  return { bus, rooms };
}

const flushed = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('state file', () => {
  it('round-trips a game in progress: score, server, points, rev and seat tokens', async () => {
    const file = path.join(dir, 'nested', 'state.json');
    const time = { now: T0 };
    const first = manager(new StateStore(file), time);
    const join = (player: 1 | 2, clientId: string) =>
      first.bus.publish(topics.join('g1'), JSON.stringify({ player, clientId, timestamp: T0 }));
    join(1, 'alice');
    join(2, 'bob');
    const room = first.rooms.get('g1')!;
    const saved = room.snapshot()!;
    expect(saved).toMatchObject({ p1Score: 0, p2Score: 0, servingPlayer: 1, pointsToWin: 5 });
    await flushed();
    expect(await readdir(path.dirname(file))).toEqual(['state.json']);

    const loaded = new StateStore(file).load();
    expect([...loaded]).toEqual([['g1', saved]]);
    const second = manager(new StateStore(file), time);
    second.rooms.restore(loaded);
    const state = JSON.parse(second.bus.retainedMessage(topics.state('g1'))!.payload) as StateMessage;
    expect(state).toMatchObject({ status: 'paused', p1Score: 0, p2Score: 0, missing: [1, 2], rev: saved.rev + 1 });
    expect(second.rooms.holderOf('g1', 1)).toBe('alice');
    expect(second.rooms.holderOf('g1', 2)).toBe('bob');
    first.rooms.stopAll();
    second.rooms.stopAll();
  });

  it('keeps only games in progress, and removes the file when none is left', async () => {
    const file = path.join(dir, 'state.json');
    const store = new StateStore(file);
    const snapshot: RoomSnapshot = { p1Score: 1, p2Score: 0, servingPlayer: 2, pointsToWin: 3, rev: 5, seats: {} };
    store.update('a', snapshot);
    store.update('b', snapshot);
    await flushed();
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).games)).toEqual(['a', 'b']);
    store.update('a', null);
    await flushed();
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).games)).toEqual(['b']);
    store.update('b', null);
    await flushed();
    expect(existsSync(file)).toBe(false);
  });

  it('ignores a damaged file and skips games that could not have been saved', async () => {
    const file = path.join(dir, 'state.json');
    const lines: string[] = [];
    await writeFile(file, '{"version":1,"games":{"ok":{"p1Score":1');
    expect(new StateStore(file, (line) => lines.push(line)).load().size).toBe(0);
    expect(lines[0]).toMatch(/not a pong state file/);

    const good = { p1Score: 1, p2Score: 2, servingPlayer: 1, pointsToWin: 3, rev: 9, seats: { p1: { clientId: 'a-1', token: 'abcdefgh12' } } };
    const games = parseStateFile(
      JSON.stringify({
        version: 1,
        savedAt: T0,
        games: {
          good,
          over: { ...good, p2Score: 3 },
          badToken: { ...good, seats: { p1: { clientId: 'a', token: 'short' } } },
          badServer: { ...good, servingPlayer: 3 },
          'bad/id': good,
          __proto__: good,
        },
      }),
    );
    expect([...games!.keys()]).toEqual(['good']);
    expect(parseStateFile('{"version":2,"games":{}}')).toBeNull();
  });
});
