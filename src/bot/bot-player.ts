/**
 * Drives a player's session with the bot brain: one decision per received frame, so the bot
 * sees exactly what a human client would and plays over any transport.
 */
import type { GameSession } from '../client/session.js';
import type { StateMessage } from '../protocol/messages.js';
import { createBotBrain } from './brain.js';

export interface BotPlayerOptions {
  skill: number;
  /** Keep playing after a game ends (restarts when the other player does). */
  forever?: boolean;
  random?: () => number;
  now?: () => number;
}

export interface BotPlayer {
  /** Resolves with the final state when the game ends (never, with `forever`). */
  finished: Promise<StateMessage>;
  stop(): void;
}

export function startBotPlayer(session: GameSession, options: BotPlayerOptions): BotPlayer {
  const player = session.player;
  if (player === null) throw new Error('a bot must hold a seat');
  const brain = createBotBrain({ skill: options.skill, ...(options.random ? { random: options.random } : {}) });
  const now = options.now ?? (() => performance.now());
  /** The state a serve was sent for: its rev, or for a classic server's (which has none) its timestamp. */
  let servedFor: number | undefined;
  // Moving the paddle notifies every listener, this one included: without the guard each
  // received frame would be decided twice, the second time on the bot's own move.
  let deciding = false;

  const decide = (): void => {
    const view = session.getState();
    const ownY = player === 1 ? view.paddles.p1 : view.paddles.p2;
    const decision = brain.decide({ me: player, ball: view.ball, state: view.state, myPaddleY: ownY, now: now() });
    session.movePaddleTo(decision.paddleY);
    // One serve per serving state: the command is QoS 1, repeating it would only queue noise.
    const stateKey = view.state?.rev ?? view.state?.timestamp;
    if (decision.serve && stateKey !== servedFor) {
      servedFor = stateKey;
      session.serve();
    }
  };

  const unsubscribe = session.subscribe(() => {
    if (deciding) return;
    deciding = true;
    try {
      decide();
    } finally {
      deciding = false;
    }
  });

  const finished = options.forever
    ? new Promise<StateMessage>(() => {})
    : session.waitForState((state) => state.status === 'ended');
  void finished.then(unsubscribe, unsubscribe);
  return { finished, stop: unsubscribe };
}
