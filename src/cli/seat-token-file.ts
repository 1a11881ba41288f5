/**
 * A player's seat token kept on disk, so that a restarted `pong play` or `pong bot` (after a
 * crash, a kill, a closed laptop) proves it is the same player and gets its seat back. One small
 * file per server address, game and seat; it is removed once there is no game to come back to.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PlayerNumber } from '../protocol/messages.js';
import { TOKEN_PATTERN } from '../protocol/validate.js';
import { fileSafe, stateDir } from './state-dir.js';

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

  /** The saved token, or null if there is none (or the file is not one of ours). */
  read(): string | null {
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
      const { endpoint, game, player, token } = saved;
      if (endpoint !== this.endpoint || game !== this.game || player !== this.player) return null;
      return typeof token === 'string' && TOKEN_PATTERN.test(token) ? token : null;
    } catch {
      return null;
    }
  }

  /** Best effort: without the file a restarted player is only told its seat is taken. */
  write(token: string): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, JSON.stringify({ endpoint: this.endpoint, game: this.game, player: this.player, token }), { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch {
      rmSync(temporary, { force: true });
    }
  }

  remove(): void {
    rmSync(this.file, { force: true });
  }
}
