/**
 * The compare engine, without a UI: one observer per transport on the same game, their frames
 * put side by side in a same-frame window, and a snapshot rebuilt a few times a second for
 * the screen or the JSON report.
 *
 * Per frame nothing here runs: the observers' sessions ack and the taps queue the ack text.
 * Everything else (parsing, one-way arithmetic, settling, percentiles) happens on the tick, so
 * the observers' receive times are not delayed by the comparison itself.
 */
import type { Clock } from '../metrics/clock.js';
import type { TransportName } from '../transports/transport.js';
import { FrameTimeline, type TimelineData } from './frame-timeline.js';
import { FrameWindow } from './frame-window.js';
import { Observer, type ClientFactory } from './observer.js';
import type { ComparisonSnapshot, TransportFigures } from './snapshot.js';
import { WireRate } from './wire-rate.js';

export interface ComparisonOptions {
  gameId: string;
  transports: readonly TransportName[];
  createClient: ClientFactory;
  /** How often figures are recomputed (ms). Default 250. */
  tickMs?: number;
  settleFrames?: number;
  /** The observers' receive-time clock; tests inject one. */
  clock?: Clock;
  /**
   * Keep the window's frames for a plot (see FrameTimeline): every frame (true), or the newest
   * `keepFrames` for a live view. Default false.
   */
  timeline?: boolean | { keepFrames: number };
}

export class Comparison {
  readonly observers: readonly Observer[];
  readonly #gameId: string;
  readonly #tickMs: number;
  readonly #window: FrameWindow;
  readonly #timeline: FrameTimeline | null;
  readonly #wire = new Map<TransportName, WireRate>();
  readonly #listeners = new Set<() => void>();
  readonly #readyWaiters = new Set<() => void>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #newestSeen = 0;
  #snapshot: ComparisonSnapshot;

  constructor(options: ComparisonOptions) {
    this.#gameId = options.gameId;
    this.#tickMs = options.tickMs ?? 250;
    const suffix = randomSuffix();
    this.observers = options.transports.map(
      (name) =>
        new Observer({
          gameId: options.gameId,
          name,
          clientId: `compare-${name}-${suffix}`,
          createClient: options.createClient,
          ...(options.clock ? { clock: options.clock } : {}),
        }),
    );
    const timeline = options.timeline ?? false;
    this.#timeline = timeline === false ? null : new FrameTimeline(options.transports, timeline === true ? {} : timeline);
    this.#window = new FrameWindow(options.transports, {
      ...(options.settleFrames !== undefined ? { settleFrames: options.settleFrames } : {}),
      ...(this.#timeline !== null ? { frames: this.#timeline } : {}),
    });
    for (const name of options.transports) this.#wire.set(name, new WireRate());
    this.#snapshot = this.#build();
  }

  /** Connects every observer at once; one that fails is reported, and the others go on. */
  async start(): Promise<Array<{ name: TransportName; error: unknown }>> {
    this.#timer ??= setInterval(() => this.tick(), this.#tickMs);
    const results = await Promise.allSettled(this.observers.map((observer) => observer.start()));
    this.tick();
    return results.flatMap((result, i) => (result.status === 'rejected' ? [{ name: this.observers[i]!.name, error: result.reason }] : []));
  }

  get ready(): boolean {
    return this.observers.every((observer) => observer.ready);
  }

  /** Resolves with the observers still not ready (connected, clock offset known) by then. */
  whenReady(timeoutMs: number): Promise<Observer[]> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#readyWaiters.delete(check);
        resolve(this.observers.filter((observer) => !observer.ready));
      };
      const check = (): void => {
        if (this.ready) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#readyWaiters.add(check);
      check();
    });
  }

  /**
   * Opens the window at the next frame: figures gathered before every clock offset was known
   * would mix frames measured against an assumed offset of 0 with real ones.
   */
  measure(): void {
    this.#window.open(this.#newestSeen + 1);
    for (const observer of this.observers) this.#wire.get(observer.name)!.start(observer.wireSample());
    this.tick();
  }

  get measuring(): boolean {
    return this.#window.isOpen;
  }

  /** Drains every observer's acks into the window and rebuilds the snapshot. */
  tick(settleThrough?: number): void {
    for (const observer of this.observers) {
      const frames = observer.drain();
      const offset = observer.offset;
      for (const frame of frames) {
        if (frame.seq > this.#newestSeen) this.#newestSeen = frame.seq;
        if (offset !== null) this.#window.record(observer.name, frame.seq, frame.rx - frame.timestamp - offset);
        this.#timeline?.stamp(frame.seq, frame.timestamp);
      }
    }
    this.#window.settle(settleThrough);
    this.#snapshot = this.#build();
    for (const check of [...this.#readyWaiters]) check();
    for (const listener of this.#listeners) listener();
  }

  /**
   * Ends the window at the newest frame so far, gives the observers `graceMs` to deliver what
   * is still in flight up to it, and settles everything: the final figures.
   */
  async finish(graceMs = 300): Promise<ComparisonSnapshot> {
    this.tick();
    const last = this.#window.highest;
    if (last !== null) this.#window.closeAt(last);
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    this.#stopTicking();
    this.tick(Infinity);
    return this.#snapshot;
  }

  snapshot(): ComparisonSnapshot {
    return this.#snapshot;
  }

  /** The window's settled frames, when kept (the `timeline` option); null otherwise. */
  timeline(): TimelineData | null {
    return this.#timeline?.data() ?? null;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#stopTicking();
    this.#listeners.clear();
    await Promise.allSettled(this.observers.map((observer) => observer.close()));
  }

  #stopTicking(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #build(): ComparisonSnapshot {
    const window = this.#window;
    return {
      gameId: this.#gameId,
      measuring: window.isOpen,
      seqFrom: window.seqFrom,
      seqTo: window.seqTo,
      sameFrames: window.sameFrames,
      transports: this.observers.map((observer) => this.#figures(observer)),
    };
  }

  #figures(observer: Observer): TransportFigures {
    const lane = this.#window.lane(observer.name)!;
    const detail = observer.detail;
    return {
      name: observer.name,
      status: observer.status,
      ...(detail !== undefined ? { detail } : {}),
      offsetKnown: observer.offset !== null,
      frames: lane.received,
      framesLost: lane.lost,
      oneWay: lane.figures.oneWay(),
      negative: lane.figures.negative,
      jitter: lane.figures.jitter,
      bytesPerFrame: this.#window.isOpen ? this.#wire.get(observer.name)!.perFrame(observer.wireSample()) : null,
      rtt: observer.roundTrip,
      recent: lane.figures.recent(),
      seqFrom: this.#window.seqFrom,
      seqTo: this.#window.seqTo,
    };
  }
}

/** Six hex digits, from Web Crypto (in Node and in the browser page alike). */
function randomSuffix(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(3));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
