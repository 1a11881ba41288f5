/**
 * A player's seat token and client id kept on disk, so that a restarted `pong play` or `pong bot`
 * (after a crash, a kill, a closed laptop) comes back as the same client, proves it with the
 * token, and gets its seat back. One small file per server address, game and seat, readable by
 * its owner alone; it is removed once there is no game to come back to.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PlayerNumber } from '../protocol/messages.js';
import { CLIENT_ID_PATTERN } from '../protocol/constants.js';
import { TOKEN_PATTERN } from '../protocol/validate.js';
import { fileSafe, stateDir } from './state-dir.js';

export interface SavedSeatToken {
  token: string;
  /** The client id the token was granted to; null in a file written before ids were kept. */
  clientId: string | null;
  /** The grant asked for the token in every message (the server was behind an external broker). */
  tokenInMessages: boolean;
}

export class SeatTokenFile {
  readonly file: string;

  constructor(
    private readonly endpoint: string,
    private readonly game: string,
    private readonly player: PlayerNumber,
    dir = path.join(stateDir(), 'seats'),
  ) {
    this.file = path.join(dir, `${fileSafe(endpoint)}-${game}-p${player}.json`);
  }

  /** The saved seat, or null if there is none (or the file is not one of ours). */
  read(): SavedSeatToken | null {
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
      const { endpoint, game, player, token, clientId, tokenInMessages } = saved;
      if (endpoint !== this.endpoint || game !== this.game || player !== this.player) return null;
      if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return null;
      // A file from before client ids were kept still proves the seat, under a new id.
      return {
        token,
        clientId: typeof clientId === 'string' && CLIENT_ID_PATTERN.test(clientId) ? clientId : null,
        tokenInMessages: tokenInMessages === true,
      };
    } catch {
      return null;
    }
  }

  /** Best effort: without the file a restarted player is only told its seat is taken. */
  write(seat: SavedSeatToken & { clientId: string }): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const record = {
        endpoint: this.endpoint,
        game: this.game,
        player: this.player,
        clientId: seat.clientId,
        token: seat.token,
        tokenInMessages: seat.tokenInMessages,
      };
      writeFileSync(temporary, JSON.stringify(record), { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch {
      rmSync(temporary, { force: true });
    }
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }
}
