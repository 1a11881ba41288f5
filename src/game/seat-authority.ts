/**
 * Who holds which seat, as the game rooms granted them: what the publish policy asks, so a
 * gateway refuses a player's messages from anyone else before they reach the bus (e.g. Aedes'
 * authorizePublish), and what proves a client's claim to take its id over.
 */
export interface SeatAuthority {
  /** The clientId holding `player`'s seat in `gameId`, or null if the seat is free. */
  holderOf(gameId: string, player: 1 | 2): string | null;
  /** Whether `token` is the token of a seat `clientId` holds, in any game. */
  proves(clientId: string, token: string): boolean;
}
