/**
 * One forked bench process, driven over IPC: config → ready, measure → measuring, stop → its
 * report, close → exit. A child that dies or stays silent fails the step with its last stderr
 * line, rather than hanging the bench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromChild, ToChild } from './ipc.js';

type Reply<T extends FromChild['type']> = Extract<FromChild, { type: T }>;

export class BenchChild {
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #waiters = new Map<string, (message: FromChild) => void>();
  readonly #killOnExit = (): void => {
    this.#child.kill('SIGKILL');
  };
  #stderr = '';

  /** `entry` is relative to this file (e.g. './server-process.js'). */
  constructor(
    entry: string,
    readonly label: string,
  ) {
    this.#child = fork(fileURLToPath(new URL(entry, import.meta.url)), [label], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
      // Not the parent's flags (a test runner's loaders, say): a bench child runs as node would.
      execArgv: [],
    });
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-4000);
    });
    process.once('exit', this.#killOnExit);
    this.#exited = new Promise((resolve) =>
      this.#child.once('exit', () => {
        process.off('exit', this.#killOnExit);
        resolve();
      }),
    );
    this.#child.on('message', (message: FromChild) => {
      const type = message.type === 'failed' ? [...this.#waiters.keys()][0] : message.type;
      if (type === undefined) return;
      const waiter = this.#waiters.get(type);
      this.#waiters.delete(type);
      waiter?.(message);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Sends `message` and resolves with the child's reply of type `type`. */
  ask<T extends FromChild['type']>(message: ToChild, type: T, timeoutMs: number): Promise<Reply<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(type);
        reject(new Error(`${this.label}: no ${type} within ${timeoutMs / 1000} s${this.#lastError()}`));
      }, timeoutMs);
      void this.#exited.then(() => {
        clearTimeout(timer);
        if (this.#waiters.delete(type)) reject(new Error(`${this.label} exited${this.#lastError()}`));
      });
      this.#waiters.set(type, (reply) => {
        clearTimeout(timer);
        if (reply.type === 'failed') reject(new Error(`${this.label}: ${reply.message}`));
        else resolve(reply as Reply<T>);
      });
      if (this.#child.connected) this.#child.send(message);
    });
  }

  /** Asks the child to close; kills it if it has not gone after `graceMs`. */
  async close(graceMs = 3000): Promise<void> {
    if (this.#child.connected) this.#child.send({ type: 'close' } satisfies ToChild);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** For a child whose report is in: nothing of it is worth a clean shutdown's wait. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  #lastError(): string {
    const line = this.#stderr.trim().split('\n').filter(Boolean).pop();
    return line ? ` (${line})` : '';
  }
}

let profiles = 0;

/**
 * Where a child writes the CPU profile of its measured window (see WindowProfiler), named after
 * `label`; undefined when not profiling.
 */
export function profileFile(dir: string | undefined, label: string): string | undefined {
  if (dir === undefined) return undefined;
  profiles += 1;
  return path.join(dir, `${label}-${process.pid}-${String(profiles).padStart(3, '0')}.cpuprofile`);
}
