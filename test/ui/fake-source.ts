import type { ClientControls, ClientViewState, ViewSource } from '../../src/client/view-state.js';
import { FrameLatency, type LatencySnapshot } from '../../src/metrics/frame-latency.js';

export function latency(overrides: Partial<LatencySnapshot> = {}): LatencySnapshot {
  return { ...FrameLatency.empty(), ...overrides };
}

export function viewState(overrides: Partial<ClientViewState> = {}): ClientViewState {
  return {
    gameId: 'demo',
    role: { kind: 'player', player: 1 },
    transport: 'mqtt',
    connection: 'connected',
    ball: { x: 20.5, y: 6.25, dx: 0.5, dy: -0.5, timestamp: 1, seq: 1 },
    paddles: { p1: 4, p2: 4 },
    state: { status: 'playing', p1Score: 3, p2Score: 2, servingPlayer: null, timestamp: 1 },
    latency: latency(),
    serverStats: null,
    ...overrides,
  };
}

/** A view source the test drives: set() replaces the snapshot and notifies like a session. */
export class FakeSource implements ViewSource {
  private listeners = new Set<() => void>();
  constructor(private state: ClientViewState) {}
  getState = (): ClientViewState => this.state;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  set(patch: Partial<ClientViewState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

export interface RecordedControls extends ClientControls {
  moves: number[];
  serves: number;
  restarts: number;
  quits: number;
}

export function recordingControls(): RecordedControls {
  const controls: RecordedControls = {
    moves: [],
    serves: 0,
    restarts: 0,
    quits: 0,
    movePaddleTo: (y) => void controls.moves.push(y),
    serve: () => void controls.serves++,
    restart: () => void controls.restarts++,
    quit: () => void controls.quits++,
  };
  return controls;
}
