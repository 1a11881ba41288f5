/**
 * The bot's decisions, free of I/O: given what a client sees (the latest ball frame and state)
 * and the time, where the paddle should be now and whether to serve. Deterministic for a given
 * random source, so tests replay games exactly.
 *
 * It plays like a person, not like a tracking loop: when the ball turns towards it, it waits a
 * reaction time, then heads for where it predicts the ball will meet its paddle (walls unfolded,
 * see predict.ts) plus an aim error drawn once per shot, at a limited speed, and now and then it
 * badly misjudges a shot. Skill scales all four. It also aims off-centre on purpose (the return angle depends on where the ball hits),
 * so two good bots do not trade flat returns forever and a game between them ends.
 */
import { BALL_RADIUS, COURT_HEIGHT, COURT_WIDTH, DEFAULT_FPS, PADDLE_HEIGHT, PADDLE_INSET, PADDLE_WIDTH } from '../protocol/constants.js';
import type { BallMessage, PlayerNumber, StateMessage } from '../protocol/messages.js';
import { DEFAULT_WALLS, predictIntercept, type Intercept } from './predict.js';

export interface BotInputs {
  me: PlayerNumber;
  ball: BallMessage | null;
  state: StateMessage | null;
  /** Own paddle's top edge, court units. */
  myPaddleY: number;
  /** Milliseconds on any monotonic clock; only differences matter. */
  now: number;
}

export interface BotDecision {
  /** Where the paddle's top edge should be now. */
  paddleY: number;
  serve: boolean;
}

export interface BotBrain {
  decide(inputs: BotInputs): BotDecision;
}

export interface BotBrainOptions {
  /** 0 (hopeless) to 1 (nearly perfect). Default 0.8. */
  skill?: number;
  /** Uniform in [0, 1). Default Math.random. */
  random?: () => number;
  /** Server ticks per second, to turn the ball's per-tick speed into time. Default 60. */
  fps?: number;
}

export const DEFAULT_SKILL = 0.8;

/** Skill-dependent parameters, exported so tests and docs can state what a skill level means. */
export interface BotTraits {
  reactionMs: number;
  /** Paddle speed, court units per second. */
  speed: number;
  /** Standard deviation of the aim error at the paddle, court units, before bounces add to it. */
  aimErrorSd: number;
  /** Chance per shot of misjudging it badly (LAPSE_ERROR_SD), which even good players do now and then. */
  lapseChance: number;
}

export function botTraits(skill: number): BotTraits {
  const s = Math.min(1, Math.max(0, Number.isFinite(skill) ? skill : DEFAULT_SKILL));
  return {
    reactionMs: 380 - 320 * s,
    speed: 6 + 34 * s,
    aimErrorSd: 0.12 + 1.3 * (1 - s) ** 0.7,
    lapseChance: 0.01 + 0.4 * (1 - s),
  };
}

/** Every predicted wall bounce makes the guess this much (as a fraction of aimErrorSd) worse, as for people. */
const ERROR_PER_BOUNCE = 0.35;
/** A lapse misses the paddle's reach (1.75 from its centre) about half the time. */
const LAPSE_ERROR_SD = 2.5;
/** Deliberate off-centre aim, as a fraction of half the paddle: angled returns, but a margin before the edge. */
const AIM_SPREAD = 0.6;
/** Drifting home is unhurried. */
const RETURN_SPEED_FACTOR = 0.5;
/** Longest gap between decisions that still moves the paddle proportionally (a stalled loop must not teleport it). */
const MAX_STEP_MS = 100;
const SERVE_PAUSE_MIN_MS = 250;
const SERVE_PAUSE_SPREAD_MS = 450;
/** If the serve seems not to have been taken, try again after this long. */
const SERVE_RETRY_MS = 1500;

const MAX_PADDLE_Y = COURT_HEIGHT - PADDLE_HEIGHT;
const HALF_PADDLE = PADDLE_HEIGHT / 2;
const HOME = COURT_HEIGHT / 2;

/** x of the ball's centre when its edge meets the paddle's face, which is where the server bounces it. */
export function contactX(player: PlayerNumber): number {
  return player === 1
    ? PADDLE_INSET + PADDLE_WIDTH + BALL_RADIUS
    : COURT_WIDTH - PADDLE_INSET - PADDLE_WIDTH - BALL_RADIUS;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

interface Shot {
  seenAt: number;
  /** Ball's distance to the contact line at the last decision. */
  distance: number;
  /** Misjudgement of the intercept, court units at the paddle, before bounce scaling. */
  error: number;
  /** Deliberate offset of the paddle's centre from the intercept, for an angled return. */
  aim: number;
}

interface ServeTimer {
  since: number;
  pauseMs: number;
  lastServeAt: number | null;
}

export function createBotBrain(options: BotBrainOptions = {}): BotBrain {
  const traits = botTraits(options.skill ?? DEFAULT_SKILL);
  const random = options.random ?? Math.random;
  const msPerTick = 1000 / (options.fps ?? DEFAULT_FPS);
  let lastNow: number | null = null;
  let shot: Shot | null = null;
  let serveTimer: ServeTimer | null = null;

  /** Standard normal deviate (Box–Muller); 1 − u keeps the logarithm finite when random() returns 0. */
  const gaussian = (): number => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };

  const approaching = (me: PlayerNumber, ball: BallMessage): boolean => {
    const x = contactX(me);
    return me === 1 ? ball.dx < 0 && ball.x >= x : ball.dx > 0 && ball.x <= x;
  };

  const decideServe = (inputs: BotInputs): boolean => {
    const { state, me, now } = inputs;
    if (state === null || state.status !== 'playing' || state.servingPlayer !== me) {
      serveTimer = null;
      return false;
    }
    serveTimer ??= { since: now, pauseMs: SERVE_PAUSE_MIN_MS + SERVE_PAUSE_SPREAD_MS * random(), lastServeAt: null };
    if (now - serveTimer.since < serveTimer.pauseMs) return false;
    if (serveTimer.lastServeAt !== null && now - serveTimer.lastServeAt < SERVE_RETRY_MS) return false;
    serveTimer.lastServeAt = now;
    return true;
  };

  /** Where the paddle's centre is heading and at what fraction of full speed. */
  const goal = (inputs: BotInputs): { centre: number; speedFactor: number } => {
    const { ball, state, me, now } = inputs;
    // servingPlayer is not consulted: state travels on a reliable channel and may trail the ball
    // frames after a serve, while a ball waiting to be served has no velocity and so never approaches.
    const inPlay = state === null || state.status === 'playing';
    if (!inPlay || ball === null || !approaching(me, ball)) {
      shot = null;
      return { centre: HOME, speedFactor: RETURN_SPEED_FACTOR };
    }
    const distance = Math.abs(contactX(me) - ball.x);
    // A ball that got further away while still heading here was put back in play (a new serve,
    // a server restart) without ever turning away: that is a new shot, judged afresh.
    if (shot !== null && distance > shot.distance + Math.abs(ball.dx) + 1e-9) shot = null;
    shot ??= {
      seenAt: now,
      distance,
      error: gaussian() * (random() < traits.lapseChance ? LAPSE_ERROR_SD : traits.aimErrorSd),
      aim: (random() * 2 - 1) * AIM_SPREAD * HALF_PADDLE,
    };
    shot.distance = distance;
    if (now - shot.seenAt < traits.reactionMs) return { centre: HOME, speedFactor: RETURN_SPEED_FACTOR };
    const intercept: Intercept | null = predictIntercept(ball, contactX(me), DEFAULT_WALLS);
    if (intercept === null) return { centre: HOME, speedFactor: RETURN_SPEED_FACTOR };
    const error = shot.error * (1 + ERROR_PER_BOUNCE * intercept.bounces);
    return { centre: intercept.y + error + shot.aim, speedFactor: 1 };
  };

  return {
    decide(inputs: BotInputs): BotDecision {
      const { now } = inputs;
      const elapsed = lastNow === null ? msPerTick : clamp(now - lastNow, 0, MAX_STEP_MS);
      lastNow = now;
      const serve = decideServe(inputs);
      const target = goal(inputs);
      const myY = Number.isFinite(inputs.myPaddleY) ? clamp(inputs.myPaddleY, 0, MAX_PADDLE_Y) : MAX_PADDLE_Y / 2;
      const centre = myY + HALF_PADDLE;
      const maxStep = (traits.speed * target.speedFactor * elapsed) / 1000;
      const next = centre + clamp(target.centre - centre, -maxStep, maxStep);
      return { paddleY: clamp(next - HALF_PADDLE, 0, MAX_PADDLE_Y), serve };
    },
  };
}
