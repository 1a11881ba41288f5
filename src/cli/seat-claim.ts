/**
 * A player command's hold on its seat: presents the token a previous run of the same command
 * saved, saves the one the server grants, and turns a refusal into the line the person reads.
 */
import type { GameSession } from '../client/session.js';
import type { PlayerNumber, SeatMessage, StateMessage } from '../protocol/messages.js';
import { CliError } from './errors.js';
import type { ClientArgs } from './options.js';
import { SeatTokenFile } from './seat-token-file.js';

export interface SeatClaim {
  /** Rejects with a CliError if the server says the seat is someone else's. */
  refused: Promise<never>;
  /** Call when done: forgets the token if the game it was for is over. */
  release(finalState: StateMessage | null): void;
}

export function claimSeat(session: GameSession, args: ClientArgs, player: PlayerNumber): SeatClaim {
  const endpoint = args.transport === 'mqtt' ? args.broker : args.server;
  const file = new SeatTokenFile(endpoint, args.game, player);
  const saved = file.read();
  if (saved !== null) session.useToken(saved);
  let unsubscribe = () => {};
  const refused = new Promise<never>((_resolve, reject) => {
    unsubscribe = session.onSeat((seat: SeatMessage) => {
      if (seat.granted) {
        if (seat.token !== undefined && seat.token !== saved) file.write(seat.token);
        return;
      }
      file.remove();
      reject(new CliError(`seat ${player} in game ${args.game} is taken — watch it with pong watch -g ${args.game}`));
    });
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
}
