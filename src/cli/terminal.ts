/**
 * Runs an Ink view for a session until the person quits, and makes sure the terminal is given
 * back in the state it was found whatever ends the program.
 */
import type { GameSession } from '../client/session.js';
import { renderGame } from '../ui/render.js';
import { CliError } from './errors.js';

export function requireInteractiveTerminal(command: string): void {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new CliError(`pong ${command} needs an interactive terminal (use pong bot or pong serve for headless runs)`, 2);
  }
}

export interface TerminalViewOptions {
  /** Unsmoothed server frames (--raw). */
  raw?: boolean;
  /** The terminal bell on every point (--bell). */
  bell?: boolean;
}

export async function runTerminalView(
  session: GameSession,
  mode: 'play' | 'watch',
  title?: string,
  view: TerminalViewOptions = {},
): Promise<void> {
  const app = renderGame({ source: session, controls: session, mode, ...(title ? { title } : {}), ...view });
  const onSignal = () => session.quit();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    await Promise.race([session.waitForQuit(), app.waitUntilExit()]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    app.unmount();
  }
}
