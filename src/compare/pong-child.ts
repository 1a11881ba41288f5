/**
 * One `pong` subcommand in a child process (the same bin/pong.js a person runs), with what it
 * prints kept in a short tail: enough to wait for a line, and to quote its error if it dies.
 * The pipes are read to the end, or a chatty child would block on a full pipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** dist/compare/ → bin/pong.js, whether run from the build or through a symlinked npx bin. */
const PONG_BIN = fileURLToPath(new URL('../../bin/pong.js', import.meta.url));
const TAIL_LINES = 40;

export class PongChild {
  readonly #child: ChildProcess;
  readonly #tail: string[] = [];
  readonly #watchers = new Set<() => void>();
  readonly #exited: Promise<number | null>;
  readonly #killOnExit = (): void => {
    this.#child.kill('SIGKILL');
  };

  constructor(readonly args: readonly string[]) {
    this.#child = spawn(process.execPath, [PONG_BIN, ...args], {
      env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
    // An error leaving this process (process.exit on a failure) must not leave the game behind.
    process.once('exit', this.#killOnExit);
    void this.#exited.then(() => {
      process.off('exit', this.#killOnExit);
      this.#notify();
    });
    let partial = '';
    const onData = (chunk: Buffer): void => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      this.#tail.push(...lines);
      if (this.#tail.length > TAIL_LINES) this.#tail.splice(0, this.#tail.length - TAIL_LINES);
      this.#notify();
    };
    this.#child.stdout!.on('data', onData);
    this.#child.stderr!.on('data', onData);
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The first printed line matching `pattern`; rejects if the child exits or takes too long. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (const line of this.#tail) {
          const match = line.match(pattern);
          if (match) return finish(() => resolve(match));
        }
        if (!this.running) finish(() => reject(new Error(this.failure() ?? `exited before it was ready`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`not ready after ${timeoutMs / 1000} s`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#watchers.delete(check);
        settle();
      };
      this.#watchers.add(check);
      check();
    });
  }

  /** Every line printed so far that matches, in order. */
  matches(pattern: RegExp): RegExpMatchArray[] {
    const out: RegExpMatchArray[] = [];
    for (const line of this.#tail) {
      const match = line.match(pattern);
      if (match) out.push(match);
    }
    return out;
  }

  /** The child's own one-line error (`pong: ...`), if it printed one. */
  failure(): string | null {
    const line = [...this.#tail].reverse().find((l) => l.startsWith('pong: '));
    return line ? line.slice('pong: '.length) : null;
  }

  /** SIGTERM, so it closes its sockets; SIGKILL if it has not gone after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.running) this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #notify(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }
}
