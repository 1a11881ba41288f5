/**
 * Where pong keeps what must outlive a process (the server's games, a player's seat tokens):
 * the XDG state directory ($XDG_STATE_HOME, else ~/.local/state) on Linux and macOS,
 * %LOCALAPPDATA% on Windows, in a `pong` folder.
 */
import { homedir } from 'node:os';
import path from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_STATE_HOME) return path.join(env.XDG_STATE_HOME, 'pong');
  if (platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'pong', 'state');
  return path.join(homedir(), '.local', 'state', 'pong');
}

/** A file name from free text (addresses, game ids): only characters every filesystem takes. */
export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '');
}
