/**
 * The paddle outbox's pacing, with time in the test's hands: at most one message a tick, the
 * latest position, the first at once.
 */
import { expect, it } from 'vitest';
import { PADDLE_INTERVAL_MS, PaddleOutbox, type OutboxTimers } from '../../src/client/paddle-outbox.js';

function fakeTime() {
  let now = 1_000;
  const pending: Array<{ due: number; run: () => void; id: number }> = [];
  let ids = 0;
  const timers: OutboxTimers = {
    setTimeout: (run, ms) => {
      const id = ++ids;
      pending.push({ due: now + ms, run, id });
      return id;
    },
    clearTimeout: (id) => {
      const at = pending.findIndex((timer) => timer.id === id);
      if (at >= 0) pending.splice(at, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const timer of pending.filter((t) => t.due <= now)) {
      pending.splice(pending.indexOf(timer), 1);
      timer.run();
    }
  };
  return { clock: () => now, timers, advance, pending };
}

it('sends the first move at once and the latest of a burst one tick later', () => {
  const time = fakeTime();
  let y = 0;
  const sent: Array<[number, number]> = [];
  const outbox = new PaddleOutbox((position, seq) => sent.push([position, seq]), () => y, time.clock, time.timers);
  for (let i = 1; i <= 50; i++) {
    y = i * 0.1;
    outbox.schedule();
  }
  expect(sent).toEqual([[0.1, 1]]);
  time.advance(PADDLE_INTERVAL_MS - 1);
  expect(sent).toHaveLength(1);
  time.advance(1);
  expect(sent).toEqual([
    [0.1, 1],
    [5, 2],
  ]);
  // A move a tick later still goes at once.
  time.advance(PADDLE_INTERVAL_MS);
  y = 3;
  outbox.schedule();
  expect(sent.at(-1)).toEqual([3, 3]);
});

it('flushes on demand and sends nothing after close', () => {
  const time = fakeTime();
  const sent: number[] = [];
  const outbox = new PaddleOutbox((position) => sent.push(position), () => 4.5, time.clock, time.timers);
  outbox.flush();
  outbox.schedule();
  expect(time.pending).toHaveLength(1);
  outbox.close();
  expect(time.pending).toHaveLength(0);
  time.advance(100);
  expect(sent).toEqual([4.5]);
});
