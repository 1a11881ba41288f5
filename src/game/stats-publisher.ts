/**
 * The retained `stats` of one game, about twice a second: each player's latency figures, the
 * room's drops and its loop's timing; and each watcher's own figures on its own topic.
 */
import type { BusView } from '../bus/bus.js';
import type { DropCounter } from '../protocol/drop-counter.js';
import type { StatsMessage } from '../protocol/messages.js';
import { topics } from '../protocol/topics.js';
import type { LatencyBoard } from './latency-board.js';
import { round } from './wire.js';

export class StatsPublisher {
  private since: number;
  private ticks = 0;

  constructor(
    private readonly bus: Pick<BusView, 'publish'>,
    private readonly gameId: string,
    private readonly intervalMs: number,
    now: number,
  ) {
    this.since = now;
  }

  /** One more tick counted; publishes when the interval is up. */
  tick(now: number, latency: LatencyBoard, drops: DropCounter, tickErrorP99: () => number): void {
    this.ticks += 1;
    if (now - this.since < this.intervalMs) return;
    latency.expireWatchers(now);
    const stats: StatsMessage = { timestamp: round(now, 3), ...latency.snapshot() };
    if (drops.total > 0) stats.dropped = drops.snapshot();
    const elapsed = now - this.since;
    if (elapsed > 0) stats.tick = { hz: round((this.ticks * 1000) / elapsed, 2), errorP99: round(tickErrorP99(), 3) };
    this.since = now;
    this.ticks = 0;
    this.bus.publish(topics.stats(this.gameId), JSON.stringify(stats), { qos: 0, retain: true });
    for (const [clientId, summary] of latency.watcherSummaries()) {
      const message = { timestamp: round(now, 3), ...summary };
      this.bus.publish(topics.watcherStats(this.gameId, clientId), JSON.stringify(message), { qos: 0 });
    }
  }
}
