/**
 * A real redis-server for tests: on a port the OS chose, loopback only, its data in a folder of
 * its own and saved when it stops (a save point is configured), so a restart comes back with
 * its data, as Debian's does. It fails rather than skips under CI=true when not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireBinary } from './binaries.js';
import { freePort, untilListening } from './free-port.js';

const HOST = '127.0.0.1';

export function redisAvailable(): boolean {
  return requireBinary('redis-server');
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** SIGTERM: Redis saves its data and exits. */
  stop(): Promise<void>;
  start(): Promise<void>;
  teardown(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort(HOST);
  const dir = await mkdtemp(path.join(tmpdir(), 'pong-redis-'));
  let child: ChildProcess | null = null;
  let output = '';
  const start = async () => {
    const spawned = spawn('redis-server', ['--port', String(port), '--bind', HOST, '--dir', dir, '--save', '3600 1', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    spawned.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = spawned;
    const exited = new Promise<never>((_, reject) => spawned.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before listening on ${port}:\n${output}`))));
    exited.catch(() => undefined);
    await Promise.race([untilListening(HOST, port), exited]);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `redis://${HOST}:${port}`,
    port,
    start,
    stop,
    async teardown() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
