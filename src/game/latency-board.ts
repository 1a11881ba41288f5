/**
 * Who the room measures: one PeerLatency per seated player and one per watcher (a spectator
 * that acks on watch/<clientId>/ack). Watchers come and go without saying so, so one that has
 * not acked for a while is forgotten; their number is capped so a flood of client ids cannot
 * grow the room's memory or its per-frame work.
 */
import { PeerLatency } from '../metrics/peer-latency.js';
import type { AckMessage, PeerLatencyStats, PlayerNumber } from '../protocol/messages.js';
import type { Seats } from './model.js';

export interface LatencyBoardOptions {
  watcherTimeoutMs?: number;
  maxWatchers?: number;
}

interface Watcher {
  latency: PeerLatency;
  lastAck: number;
}

interface Seat {
  latency: PeerLatency;
  transport: string | undefined;
}

export interface LatencySnapshot {
  p1?: PeerLatencyStats;
  p2?: PeerLatencyStats;
  watchers?: number;
}

export class LatencyBoard {
  private readonly seats = new Map<PlayerNumber, Seat>();
  private readonly watchers = new Map<string, Watcher>();
  private readonly watcherTimeoutMs: number;
  private readonly maxWatchers: number;

  constructor(options: LatencyBoardOptions = {}) {
    this.watcherTimeoutMs = options.watcherTimeoutMs ?? 10_000;
    this.maxWatchers = options.maxWatchers ?? 64;
  }

  /** Nobody is left to measure (the room stopped): the figures' memory goes, a fresh seat starts anew. */
  clear(): void {
    this.seats.clear();
    this.watchers.clear();
  }

  /** A new occupant of a seat starts with fresh figures; a repeated join keeps them. */
  seatTaken(player: PlayerNumber, transport: string | undefined, fresh: boolean): void {
    const current = this.seats.get(player);
    if (current === undefined || fresh) this.seats.set(player, { latency: new PeerLatency(), transport });
    else if (transport !== undefined) current.transport = transport;
  }

  /** Frames count against a player only while seated, so a drop-out is not counted as loss. */
  frameSent(seq: number, present: Seats<boolean>): void {
    if (present.p1) this.seats.get(1)?.latency.onFrameSent(seq);
    if (present.p2) this.seats.get(2)?.latency.onFrameSent(seq);
    // Every room, every tick: no iterator for the usual empty audience.
    if (this.watchers.size === 0) return;
    for (const watcher of this.watchers.values()) watcher.latency.onFrameSent(seq);
  }

  playerAck(player: PlayerNumber, ack: AckMessage, arrival: number): void {
    let seat = this.seats.get(player);
    if (seat === undefined) {
      // Clients that ack without joining first are still measured, from their first ack on.
      seat = { latency: new PeerLatency(), transport: undefined };
      this.seats.set(player, seat);
    }
    seat.latency.onAck(ack, arrival);
  }

  watcherAck(clientId: string, ack: AckMessage, arrival: number): void {
    let watcher = this.watchers.get(clientId);
    if (watcher === undefined) {
      if (this.watchers.size >= this.maxWatchers) return;
      watcher = { latency: new PeerLatency(), lastAck: arrival };
      this.watchers.set(clientId, watcher);
    }
    watcher.lastAck = arrival;
    watcher.latency.onAck(ack, arrival);
  }

  expireWatchers(now: number): void {
    for (const [clientId, watcher] of this.watchers) {
      if (now - watcher.lastAck > this.watcherTimeoutMs) this.watchers.delete(clientId);
    }
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  snapshot(): LatencySnapshot {
    const out: LatencySnapshot = {};
    const p1 = this.seats.get(1);
    const p2 = this.seats.get(2);
    if (p1 !== undefined) out.p1 = p1.latency.summary(p1.transport);
    if (p2 !== undefined) out.p2 = p2.latency.summary(p2.transport);
    if (this.watchers.size > 0) out.watchers = this.watchers.size;
    return out;
  }

  /** Each watcher's figures, for the per-watcher stats topic. */
  watcherSummaries(): Array<[clientId: string, stats: PeerLatencyStats]> {
    return [...this.watchers].map(([clientId, watcher]) => [clientId, watcher.latency.summary()]);
  }
}
