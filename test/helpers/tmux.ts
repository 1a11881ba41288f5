/**
 * A real terminal for the real program: tmux runs it, send-keys types, capture-pane reads the
 * screen, as a person at a keyboard would.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export class TmuxSession {
  readonly name = `pong-test-${randomBytes(4).toString('hex')}`;

  constructor(command: string, options: { width?: number; height?: number; env?: Record<string, string> } = {}) {
    const env = Object.entries({ NODE_ENV: 'production', ...options.env }).map(([key, value]) => `${key}=${value}`);
    execFileSync('tmux', [
      'new-session', '-d', '-s', this.name,
      '-x', String(options.width ?? 100), '-y', String(options.height ?? 40),
      `env ${env.join(' ')} ${command}; echo "[exited $?]"; sleep 30`,
    ]);
  }

  /** The program's exit code once it has exited (the shell prints it), else null. */
  exitCode(): number | null {
    const match = this.capture().match(/\[exited (\d+)\]/);
    return match ? Number(match[1]) : null;
  }

  capture(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  sendKeys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  resize(width: number, height: number): void {
    execFileSync('tmux', ['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /** Polls the screen until `test` passes; returns that screen. */
  async waitForScreen(test: (screen: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.capture();
      if (test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for the screen; last screen:\n${screen}`);
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // Already gone: the program exited and the shell after it finished.
    }
  }
}
