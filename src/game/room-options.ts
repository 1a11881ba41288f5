/** How a GameRoom is made: its game, its bus and clock, its loop, its seats' timing. */
import type { BusView } from '../bus/bus.js';
import type { Clock } from '../metrics/clock.js';
import type { LoopTimers } from './loop.js';
import type { LoopFactory } from './room-loop.js';
import type { TickScheduler } from './scheduler.js';
import type { RoomSnapshot } from './snapshot.js';

export interface GameRoomOptions {
  gameId: string;
  bus: BusView;
  clock: Clock;
  pointsToWin?: number;
  fps?: number;
  autoServeMs?: number;
  log?: (line: string) => void;
  /** Seeds serve angles; defaults to one drawn from the game id and the clock. */
  seed?: number;
  /** The loop to tick on; by default the scheduler's, else one of the room's own (see room-loop.ts). */
  loop?: LoopFactory;
  /** Tick on the server's shared loop (see scheduler.ts) instead of a loop of the room's own. */
  scheduler?: TickScheduler;
  /** The room's own loop's timing, see FixedRateLoop. */
  timers?: LoopTimers;
  statsIntervalMs?: number;
  watcherTimeoutMs?: number;
  /** A seated player silent (no acks) for longer than this is taken for gone. */
  ackTimeoutMs?: number;
  /** How long a gone player's seat is kept before they forfeit. */
  forfeitAfterMs?: number;
  /** Seat tokens; random (crypto) unless a test needs them predictable. */
  newToken?: () => string;
  /**
   * The owner's fencing number (cluster mode): every state it publishes says it, so a node
   * that lost the game's lease cannot pass for its owner. Absent: not said.
   */
  fence?: number;
  /** The seq the first ball frame follows (a game taken over numbers on past its old owner's). */
  firstSeq?: number;
  /** A game restored from the state file, instead of a new one. */
  restore?: RoomSnapshot;
  /** Called after every state publication, e.g. to save the game. */
  onStateChange?: (room: { readonly gameId: string; snapshot(): RoomSnapshot | null }) => void;
}

export const DEFAULT_ACK_TIMEOUT_MS = 3000;
export const DEFAULT_FORFEIT_AFTER_MS = 60_000;

