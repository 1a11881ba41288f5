/**
 * `pong compare --json` as a person (or CI) runs it: a real process that starts its own
 * server and bots, watches the game over every registered transport, and prints one JSON
 * document of figures measured on the same frames.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { transportNames } from '../../src/transports/registry.js';
import { killAll, runPong } from '../helpers/cli.js';

afterEach(killAll);

/** The server, bot and observer processes of one compare run, by its game id. */
function childrenOf(game: string): string[] {
  try {
    const lines = execFileSync('pgrep', ['-af', game], { encoding: 'utf8' }).trim().split('\n');
    return lines.filter((line) => /pong\.js (serve|bot)|observer-process/.test(line));
  } catch {
    return [];
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise((resolve) => server.close(resolve));
  return address.port;
}

describe('pong compare --json', () => {
  it('prints figures for every registered transport, measured on hundreds of the same frames', async () => {
    const game = `cmpjson${process.pid}`;
    const proc = runPong(['compare', '--json', '--duration', '4', '--game', game]);
    let stdout = '';
    proc.child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    proc.child.stdin.end();
    const code = await proc.exited;
    expect(code, proc.output()).toBe(0);

    const report = JSON.parse(stdout) as {
      game: string;
      duration: number;
      sameFrames: number;
      transports: Record<string, {
        frames: number;
        framesLost: number;
        oneWay: Record<'min' | 'p50' | 'p95' | 'p99' | 'max' | 'mean', number | null>;
        jitter: number | null;
        bytesPerFrame: number | null;
        rtt: { p50: number | null; p99: number | null } | null;
        seqFrom: number | null;
        seqTo: number | null;
      }>;
      machine: { node: string; platform: string; cpus: number };
    };
    expect(report).toMatchObject({ game, duration: 4, machine: { node: process.version, platform: process.platform } });
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(Object.keys(report.transports).sort()).toEqual([...transportNames].sort());
    expect(report.sameFrames).toBeGreaterThanOrEqual(150);

    const windows = new Set<string>();
    for (const [name, t] of Object.entries(report.transports)) {
      const where = `${name}: ${JSON.stringify(t)}`;
      expect(t.frames, where).toBeGreaterThanOrEqual(150);
      expect(t.framesLost, where).toBeLessThanOrEqual(Math.ceil(t.frames * 0.02));
      for (const value of Object.values(t.oneWay)) {
        expect(value, where).not.toBeNull();
        expect(value!, where).toBeGreaterThanOrEqual(0);
      }
      expect(t.oneWay.p50!, where).toBeLessThanOrEqual(t.oneWay.p99!);
      expect(t.jitter!, where).toBeGreaterThanOrEqual(0);
      // A ball frame's JSON alone is about 100 bytes; the socket carries more, never less.
      expect(t.bytesPerFrame!, where).toBeGreaterThan(90);
      expect(t.rtt?.p50 ?? -1, where).toBeGreaterThan(0);
      expect(t.seqTo! - t.seqFrom! + 1, where).toBe(t.frames + t.framesLost);
      windows.add(`${t.seqFrom}-${t.seqTo}`);
    }
    // Every transport was measured over the same frames.
    expect(windows.size).toBe(1);
    // The server, the bots and the observer process went with it.
    expect(childrenOf(game)).toEqual([]);
  }, 60_000);

  it('fails with one line and a non-zero exit when nothing serves the game', async () => {
    const port = await closedPort();
    const proc = runPong(['compare', '--json', '--transports', 'mqtt,ws', '--server', `http://127.0.0.1:${port}`, '--broker', `mqtt://127.0.0.1:${port}`]);
    proc.child.stdin.end();
    const code = await proc.exited;
    expect(code).not.toBe(0);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pong: the (mqtt|ws) observer could not connect: /);
  }, 30_000);
});
