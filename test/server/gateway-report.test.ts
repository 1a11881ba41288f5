/**
 * The server's reports run on one timer while anyone can be watching, and sleep otherwise: an
 * idle server wakes for nothing (test/server/idle-server.test.ts checks the real `pong serve`).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TopicBus } from '../../src/bus/bus.js';
import { SERVER_STATS_TOPIC, startGatewayReports, type PulseSource } from '../../src/server/gateway-report.js';

function source(watchedElsewhere = false) {
  const bus = new TopicBus();
  const arrivals = new Set<() => void>();
  const published: number[] = [];
  bus.subscribe(SERVER_STATS_TOPIC, () => published.push(Date.now()));
  const state = { openSockets: 0 };
  const pulse: PulseSource = {
    bus,
    gateway: () => undefined,
    get openSockets() {
      return state.openSockets;
    },
    watchedElsewhere,
    onArrival: (listener) => {
      arrivals.add(listener);
      return () => arrivals.delete(listener);
    },
  };
  const arrive = () => {
    state.openSockets += 1;
    for (const listener of arrivals) listener();
  };
  return { pulse, published, state, arrive, arrivals };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startGatewayReports', () => {
  it('publishes every 2 s while a socket is open, once more when the last closes, then nothing until one arrives', () => {
    const s = source();
    const stop = startGatewayReports(s.pulse, ['ws'], () => {});
    expect(s.published).toHaveLength(1);
    vi.advanceTimersByTime(2_000);
    // Nobody came: that pulse was the last.
    expect(s.published).toHaveLength(2);
    vi.advanceTimersByTime(60_000);
    expect(s.published).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);

    s.arrive();
    expect(s.published).toHaveLength(3);
    vi.advanceTimersByTime(10_000);
    expect(s.published).toHaveLength(8);
    s.state.openSockets = 0;
    vi.advanceTimersByTime(2_000);
    expect(s.published).toHaveLength(9);
    vi.advanceTimersByTime(60_000);
    expect(s.published).toHaveLength(9);
    expect(vi.getTimerCount()).toBe(0);
    stop();
    expect(s.arrivals.size).toBe(0);
  });

  it('never sleeps when clients may be watching an external broker', () => {
    const s = source(true);
    const stop = startGatewayReports(s.pulse, ['mqtt'], () => {});
    vi.advanceTimersByTime(60_000);
    expect(s.published).toHaveLength(31);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
