/**
 * The screen's side of the observer process (observer-process.ts): forks it, relays commands,
 * and offers what it sends back as a ComparisonSource for the table and a ViewSource for the
 * court, so the Ink screen never shares an event loop with the clients it measures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientViewState, ViewSource } from '../client/view-state.js';
import { COURT_HEIGHT, PADDLE_HEIGHT } from '../protocol/constants.js';
import { FrameLatency } from '../metrics/frame-latency.js';
import type { TransportName } from '../transports/transport.js';
import type { TimelineData } from './frame-timeline.js';
import type { CourtFrame, FromObservers, ObserverConfig, ToObservers } from './ipc.js';
import type { ComparisonSnapshot, ComparisonSource, TransportFigures } from './snapshot.js';

const ENTRY = fileURLToPath(new URL('./observer-process.js', import.meta.url));
const CENTRE_Y = (COURT_HEIGHT - PADDLE_HEIGHT) / 2;

export interface StartFailure {
  name: TransportName;
  message: string;
}

type Reply<T extends FromObservers['type']> = Extract<FromObservers, { type: T }>;

export class ObserverLink implements ComparisonSource {
  readonly court: ViewSource;
  readonly #child: ChildProcess;
  readonly #listeners = new Set<() => void>();
  readonly #courtListeners = new Set<() => void>();
  readonly #waiters = new Map<FromObservers['type'], (message: FromObservers) => void>();
  readonly #exited: Promise<void>;
  readonly #killOnExit = (): void => {
    this.#child.kill('SIGKILL');
  };
  readonly #started: Promise<StartFailure[]>;
  #snapshot: ComparisonSnapshot;
  #view: ClientViewState;
  #stderr = '';

  constructor(readonly config: ObserverConfig) {
    this.#snapshot = {
      gameId: config.gameId,
      measuring: false,
      seqFrom: null,
      seqTo: null,
      sameFrames: 0,
      transports: config.transports.map(connectingFigures),
    };
    this.#view = {
      gameId: config.gameId,
      role: { kind: 'spectator' },
      transport: config.transports[0] ?? 'mqtt',
      connection: 'connecting',
      ball: null,
      paddles: { p1: CENTRE_Y, p2: CENTRE_Y },
      state: null,
      latency: FrameLatency.empty(),
      serverStats: null,
    };
    this.court = {
      getState: () => this.#view,
      subscribe: (listener) => {
        this.#courtListeners.add(listener);
        return () => this.#courtListeners.delete(listener);
      },
    };
    // The game id on its command line only tells a person (or ps) which comparison it serves.
    this.#child = fork(ENTRY, ['--game', config.gameId], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-2000);
    });
    process.once('exit', this.#killOnExit);
    this.#exited = new Promise((resolve) =>
      this.#child.once('exit', () => {
        process.off('exit', this.#killOnExit);
        resolve();
      }),
    );
    this.#child.on('message', (message: FromObservers) => this.#onMessage(message));
    // Waited for from the start: the report may come before anyone asks for it.
    this.#started = this.#request('started').then((reply) => reply.failed);
    this.#started.catch(() => {});
    this.#send({ type: 'config', config });
  }

  /** Resolves once every observer has connected or failed, with the failures. */
  start(): Promise<StartFailure[]> {
    return this.#started;
  }

  /** The transports whose observer is still not connected with a known clock offset by then. */
  async whenReady(timeoutMs: number): Promise<TransportName[]> {
    const reply = this.#request('ready');
    this.#send({ type: 'whenReady', timeoutMs });
    return (await reply).notReady;
  }

  measure(): void {
    this.#send({ type: 'measure' });
  }

  /** The final figures, and every frame of the window when the config asked for a timeline. */
  async finish(graceMs = 300): Promise<{ snapshot: ComparisonSnapshot; timeline: TimelineData | null }> {
    const reply = this.#request('finished');
    this.#send({ type: 'finish', graceMs });
    const { snapshot, timeline } = await reply;
    return { snapshot, timeline };
  }

  snapshot(): ComparisonSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Asks the observers to disconnect; kills the process if it has not gone after `graceMs`. */
  async close(graceMs = 3000): Promise<void> {
    this.#send({ type: 'close' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #send(message: ToObservers): void {
    if (this.#child.connected) this.#child.send(message);
  }

  #request<T extends FromObservers['type']>(type: T): Promise<Reply<T>> {
    return new Promise((resolve, reject) => {
      const onExit = (): void => {
        this.#waiters.delete(type);
        const reason = this.#stderr.trim().split('\n').pop();
        reject(new Error(`the observer process exited${reason ? `: ${reason}` : ''}`));
      };
      void this.#exited.then(onExit);
      this.#waiters.set(type, (message) => resolve(message as Reply<T>));
    });
  }

  #onMessage(message: FromObservers): void {
    if (message.type === 'snapshot') {
      this.#snapshot = message.snapshot;
      for (const listener of this.#listeners) listener();
      return;
    }
    if (message.type === 'court') return this.#onCourt(message.frame);
    const waiter = this.#waiters.get(message.type);
    this.#waiters.delete(message.type);
    waiter?.(message);
  }

  #onCourt(frame: CourtFrame): void {
    this.#view = { ...this.#view, ...frame };
    for (const listener of this.#courtListeners) listener();
  }
}

/** A row for the screen before the observer process has said anything. */
function connectingFigures(name: TransportName): TransportFigures {
  const none = { last: null, min: null, mean: null, p50: null, p95: null, p99: null, max: null };
  return {
    name,
    status: 'connecting',
    offsetKnown: false,
    frames: 0,
    framesLost: 0,
    oneWay: none,
    negative: 0,
    jitter: null,
    bytesPerFrame: null,
    rtt: null,
    recent: [],
    seqFrom: null,
    seqTo: null,
  };
}
