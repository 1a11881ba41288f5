/**
 * The server's memory across restarts: one JSON file holding every game in progress (see
 * RoomSnapshot), rewritten whenever a game's state changes. Each write goes to a temporary file
 * that is then renamed over the old one, so a kill at any moment leaves either the previous
 * file or the new one, never half of one. Changes made in one turn of the event loop are
 * written together, once, right after it. With no game in progress there is no file.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeSnapshot, type RoomSnapshot } from '../game/snapshot.js';
import { isValidGameId } from '../protocol/topics.js';

const VERSION = 1;

interface StateFile {
  version: number;
  savedAt: number;
  games: Record<string, RoomSnapshot>;
}

export class StateStore {
  private readonly games = new Map<string, RoomSnapshot>();
  /** The games part of the file as last written: the save time alone is not worth a write. */
  private written = '';
  private flushQueued = false;
  private lastError = '';

  constructor(
    readonly file: string,
    private readonly log: (line: string) => void = () => {},
    private readonly clock: () => number = Date.now,
  ) {}

  /** The games saved by the previous run; a missing file is no games, a damaged one is logged. */
  load(): Map<string, RoomSnapshot> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.report(`cannot read ${this.file}: ${(error as Error).message}`);
      return new Map();
    }
    const games = parseStateFile(text);
    if (games === null) {
      this.report(`ignoring ${this.file}: not a pong state file`);
      return new Map();
    }
    for (const [gameId, snapshot] of games) this.games.set(gameId, snapshot);
    this.written = JSON.stringify(Object.fromEntries(games));
    return games;
  }

  /** Records a game's latest snapshot (null: nothing to resume, forget it) and schedules a write. */
  update(gameId: string, snapshot: RoomSnapshot | null): void {
    if (snapshot === null) this.games.delete(gameId);
    else this.games.set(gameId, snapshot);
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  flush(): void {
    this.flushQueued = false;
    const games = Object.fromEntries(this.games);
    const gamesText = JSON.stringify(games);
    if (gamesText === this.written) return;
    const content: StateFile = { version: VERSION, savedAt: this.clock(), games };
    const text = JSON.stringify(content);
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      if (this.games.size === 0) {
        rmSync(this.file, { force: true });
        this.written = gamesText;
        return;
      }
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(temporary, text);
      renameSync(temporary, this.file);
      this.written = gamesText;
    } catch (error) {
      // A full disk or a read-only directory costs the restart, not the games being played.
      this.report(`cannot write ${this.file}: ${(error as Error).message}`);
    }
  }

  private report(line: string): void {
    if (line === this.lastError) return;
    this.lastError = line;
    this.log(`state file: ${line}`);
  }
}

/** Games of a state file, or null if the text is not one; invalid games are skipped. */
export function parseStateFile(text: string): Map<string, RoomSnapshot> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { version, games } = parsed as Partial<StateFile>;
  if (version !== VERSION || typeof games !== 'object' || games === null || Array.isArray(games)) return null;
  const out = new Map<string, RoomSnapshot>();
  for (const gameId of Object.keys(games)) {
    const snapshot = decodeSnapshot((games as Record<string, unknown>)[gameId]);
    if (snapshot !== null && isValidGameId(gameId)) out.set(gameId, snapshot);
  }
  return out;
}
