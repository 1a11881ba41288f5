/**
 * The real programs the terminal benches run against: `pong serve` and `pong bot` as child
 * processes on ports the OS picks, and a process's CPU time from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PONG_BIN = fileURLToPath(new URL('../../../../../bin/pong.js', import.meta.url));

const children = new Set<ChildProcess>();

export function runPong(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [PONG_BIN, ...args], {
    env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

export async function waitFor<T>(probe: () => T | null | undefined, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `pong serve` on OS-picked ports; resolves with its MQTT URL (or, for ws, its HTTP URL). */
export async function startServe(game: string, transport: 'mqtt' | 'ws' = 'mqtt'): Promise<string> {
  const serve = runPong(['serve', '--transport', transport, '--port', '0', '--mqtt-port', '0', '--game', game]);
  const pattern = transport === 'mqtt' ? /serving mqtt (mqtt:\/\/\S+)/ : /serving ws (http:\/\/\S+)/;
  return waitFor(() => serve.output().match(pattern)?.[1], 15_000, 'pong serve');
}

export function startBot(game: string, url: string, player: 1 | 2, skill: number, transport: 'mqtt' | 'ws' = 'mqtt'): void {
  const where = transport === 'mqtt' ? ['--broker', url] : ['-t', 'ws', '--server', url];
  runPong(['bot', '--player', String(player), '--game', game, ...where, '--skill', String(skill), '--forever']);
}

export async function stopAll(): Promise<void> {
  const exits = [...children].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 3000))]);
}

/** User + system CPU time of a process so far, ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces), from field 3 on.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}
