/**
 * The node's two connections to Redis (ioredis): one for commands, one for pub/sub (a
 * subscribed connection can do nothing else). Reaching Redis at start is checked once, with
 * one clear error; after that ioredis reconnects on its own and commands fail at once while
 * it is away (no offline queue): a lease renewal that waits for Redis is no renewal, and a
 * ball frame queued for later is worth nothing.
 */
import { Redis } from 'ioredis';
import { SCRIPTS, type ScriptName } from './scripts.js';

/** Cluster mode cannot start: Redis not there, or this node's id taken (one line for the person). */
export class ClusterUnreachable extends Error {}

const CONNECT_TIMEOUT_MS = 3000;

export class RedisLink {
  private started = false;
  private lastError = '';
  private lastErrorAt = 0;
  private readonly upListeners: Array<() => void> = [];
  /** Why the first connection failed (ioredis rejects connect() with a vaguer reason). */
  private startError = '';

  readonly command: Redis;
  readonly subscriber: Redis;

  private constructor(
    readonly url: string,
    private readonly log: (line: string) => void,
  ) {
    const options = {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      enableOfflineQueue: false,
      // The relay batches its publishes itself, without auto-pipelining's wait (see relay.ts).
      enableAutoPipelining: false,
      maxRetriesPerRequest: 0,
      // At start a refusal is the answer (one error line); later, Redis is coming back.
      retryStrategy: (times: number) => (this.started ? Math.min(100 * times, 1000) : null),
    };
    this.command = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) this.command.defineCommand(name, { lua: SCRIPTS[name] });
    for (const connection of [this.command, this.subscriber]) {
      // ioredis emits 'error' on every failed reconnect: without a listener, the process dies.
      connection.on('error', (error: Error) => this.reportError(error));
    }
    this.command.on('ready', () => {
      if (!this.started) return;
      this.log(`cluster: Redis at ${this.url} is back`);
      for (const listener of this.upListeners) listener();
    });
  }

  static async connect(url: string, log: (line: string) => void): Promise<RedisLink> {
    const link = new RedisLink(url, log);
    try {
      await Promise.all([link.command.connect(), link.subscriber.connect()]);
    } catch (error) {
      link.command.disconnect();
      link.subscriber.disconnect();
      const why = link.startError || (error as Error).message || 'connection refused';
      throw new ClusterUnreachable(`cannot reach Redis at ${url} (--cluster): ${why}`);
    }
    link.started = true;
    return link;
  }

  get up(): boolean {
    return this.command.status === 'ready';
  }

  /** Called each time the command connection is ready again after a loss. */
  onUp(listener: () => void): void {
    this.upListeners.push(listener);
  }

  /** Runs a script of scripts.ts (by its SHA, loaded on first use). */
  run(name: ScriptName, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    const call = (this.command as unknown as Record<ScriptName, (...a: Array<string | number>) => Promise<unknown>>)[name];
    return call.call(this.command, keys.length, ...keys, ...args);
  }

  async close(): Promise<void> {
    this.started = false;
    await Promise.allSettled([this.command.quit(), this.subscriber.quit()]);
    this.command.disconnect();
    this.subscriber.disconnect();
  }

  /** One line per kind of failure, at most every few seconds: a Redis down is not a log flood. */
  private reportError(error: Error): void {
    if (!this.started) {
      this.startError ||= error.message;
      return;
    }
    const now = Date.now();
    const line = error.message;
    if (line === this.lastError && now - this.lastErrorAt < 10_000) return;
    this.lastError = line;
    this.lastErrorAt = now;
    this.log(`cluster: Redis at ${this.url}: ${line}`);
  }
}
