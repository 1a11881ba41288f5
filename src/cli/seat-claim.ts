/**
 * A player command's hold on its seat: comes back as the client a previous run of the same
 * command was (its client id and seat token, saved on disk), saves what the server grants, and
 * turns a refusal into the line the person reads.
 */
import type { GameSession } from '../client/session.js';
import type { PlayerNumber, SeatMessage, StateMessage } from '../protocol/messages.js';
import { KICK_REASONS } from '../transports/limits.js';
import { newClientId } from './connect.js';
import { CliError } from './errors.js';
import type { ClientArgs } from './options.js';
import { SeatTokenFile } from './seat-token-file.js';

export interface SeatClaim {
  /** Rejects with a CliError if the server says the seat is someone else's (or no longer ours). */
  refused: Promise<never>;
  /** Call when done: forgets the token if the game it was for is over. */
  release(finalState: StateMessage | null): void;
}

export interface SeatKeeper {
  /** The id to connect as: the previous run's, so the server knows this is the same client. */
  readonly clientId: string;
  /** Presents the saved token (if any) through the session and keeps what the server answers. */
  claim(session: GameSession): SeatClaim;
}

/** What a person reads when a newer connection (same seat token, another process) took the seat over. */
export const TAKEN_OVER_LINE = 'your seat was taken over by a newer connection (the same player, started again elsewhere)';

export function keepSeat(args: ClientArgs, player: PlayerNumber, idPrefix: string): SeatKeeper {
  const endpoint = args.transport === 'mqtt' ? args.broker : args.server;
  const file = new SeatTokenFile(endpoint, args.game, player);
  const saved = file.read();
  const clientId = saved?.clientId ?? newClientId(idPrefix);
  return {
    clientId,
    claim(session) {
      if (saved !== null) session.useToken(saved.token, saved.tokenInMessages);
      let unsubscribe = () => {};
      const refused = new Promise<never>((_resolve, reject) => {
        const onSeat = (seat: SeatMessage) => {
          if (seat.granted) {
            if (seat.token !== undefined && seat.token !== saved?.token) {
              file.write({ token: seat.token, clientId, tokenInMessages: seat.tokenInMessages === true });
            }
            return;
          }
          if (seat.reason === 'taken over') return reject(new CliError(TAKEN_OVER_LINE));
          file.remove();
          if (seat.reason !== undefined && seat.reason !== 'seat taken') return reject(new CliError(`cannot take seat ${player} in game ${args.game}: ${seat.reason}`));
          reject(new CliError(`seat ${player} in game ${args.game} is taken — watch it with pong watch -g ${args.game}`));
        };
        const stopSeat = session.onSeat(onSeat);
        const stopStatus = session.onConnection((status, detail) => {
          if (status === 'closed' && detail === KICK_REASONS.takenOver) reject(new CliError(TAKEN_OVER_LINE));
        });
        unsubscribe = () => {
          stopSeat();
          stopStatus();
        };
      });
      // A command that never awaits the refusal must not crash on it.
      refused.catch(() => {});
      return {
        refused,
        release(finalState) {
          unsubscribe();
          if (finalState?.status === 'ended') file.remove();
        },
      };
    },
  };
}
