/**
 * A real Mosquitto for tests: on a port the OS chose, loopback only, anonymous, Nagle off (as
 * pong's docs tell users to configure theirs). It can be stopped and started again on the same
 * port, for the reconnect cases.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireBinary } from './binaries.js';
import { freePort, untilListening } from './free-port.js';

const HOST = '127.0.0.1';

export function mosquittoBinary(): string {
  return existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';
}

/** True when Mosquitto tests should run; throws under CI=true when it is not installed. */
export function mosquittoAvailable(): boolean {
  return requireBinary('mosquitto');
}

export interface MosquittoBroker {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  teardown(): Promise<void>;
}

/** `extraConfig` gets the broker's own folder and returns lines to add to its configuration. */
export async function startMosquitto(extraConfig: (dir: string) => Promise<string[]> = async () => []): Promise<MosquittoBroker> {
  const port = await freePort(HOST);
  const dir = await mkdtemp(path.join(tmpdir(), 'pong-mosquitto-'));
  const config = path.join(dir, 'mosquitto.conf');
  const extra = await extraConfig(dir);
  await writeFile(config, [`listener ${port} ${HOST}`, 'allow_anonymous true', 'set_tcp_nodelay true', 'persistence false', ...extra, ''].join('\n'));
  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    const spawned = spawn(mosquittoBinary(), ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    spawned.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    spawned.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = spawned;
    const exited = new Promise<never>((_, reject) =>
      spawned.once('exit', (code) => reject(new Error(`mosquitto exited (${code}) before listening on ${port}:\n${output}`))),
    );
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
    url: `mqtt://${HOST}:${port}`,
    port,
    start,
    stop,
    async teardown() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
