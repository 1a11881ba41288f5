/**
 * What a person sees when something is wrong: one line on stderr, a non-zero exit, no stack
 * trace. And every command explains itself with --help and examples.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, runPong } from '../helpers/cli.js';

afterEach(killAll);

async function run(args: string[]): Promise<{ code: number | null; output: string }> {
  const proc = runPong(args);
  proc.child.stdin.end();
  const code = await proc.exited;
  return { code, output: proc.output() };
}

function expectOneLineError(result: { code: number | null; output: string }, pattern: RegExp): void {
  expect(result.code).not.toBe(0);
  const lines = result.output.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^pong: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.output).not.toMatch(/\n\s+at /);
}

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server };
}

async function closedPort(): Promise<number> {
  const { port, server } = await occupiedPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('bad input gets one clear line and a non-zero exit', () => {
  it('an invalid seat', async () => {
    expectOneLineError(await run(['bot', '--player', '3']), /player/);
  });

  it('an unknown transport', async () => {
    expectOneLineError(await run(['bot', '--transport', 'carrier-pigeon']), /transport/);
  });

  it('an unknown command', async () => {
    expectOneLineError(await run(['frobnicate']), /frobnicate|command/i);
  });

  it('an invalid port', async () => {
    expectOneLineError(await run(['serve', '--port', '99999']), /--port/);
  });

  it('a bench --profile directory that cannot be made, before anything runs', async () => {
    expectOneLineError(await run(['bench', '-t', 'ws', '--profile', '/dev/null/profiles']), /--profile '\/dev\/null\/profiles'.*ENOTDIR/);
  });

  // An hour's --duration: a path checked only after the run would time the test out.
  it('a compare --plot path whose directory is not a directory, before anything runs', async () => {
    expectOneLineError(await run(['compare', '--plot', '/dev/null/loss.svg', '--duration', '3600']), /--plot '\/dev\/null\/loss\.svg': a part of the path is not a directory/);
  });

  it('a compare --plot path in a directory that does not exist, before anything runs', async () => {
    const missing = `/tmp/pong-no-such-dir-${process.pid}/loss.svg`;
    expectOneLineError(await run(['compare', '--plot', missing, '--duration', '3600']), new RegExp(`--plot '${missing}': no such directory`));
  });

  it('a compare --plot that is not an SVG file', async () => {
    expectOneLineError(await run(['compare', '--plot', 'loss.png']), /--plot 'loss\.png': expected a file name ending in \.svg/);
  });

  it('a malformed broker URL', async () => {
    expectOneLineError(await run(['bot', '--broker', 'not a url']), /--broker/);
  });

  it('an invalid game id', async () => {
    expectOneLineError(await run(['bot', '--game', 'a/b#']), /--game/);
  });

  it('an unreachable broker', async () => {
    const port = await closedPort();
    expectOneLineError(await run(['bot', '--broker', `mqtt://127.0.0.1:${port}`]), /reach|refused/i);
  });

  it('an unreachable ws server', async () => {
    const port = await closedPort();
    const result = await run(['bot', '-t', 'ws', '--server', `http://127.0.0.1:${port}`]);
    expectOneLineError(result, /reach|refused/i);
    // `pong serve` alone opens MQTT only: the hint names the transport the server must open.
    expect(result.output).toMatch(/pong serve -t ws/);
  });

  it('an HTTP port in use', async () => {
    const { port, server } = await occupiedPort();
    try {
      expectOneLineError(await run(['serve', '-t', 'ws', '--port', String(port)]), new RegExp(`${port}.*in use`));
    } finally {
      server.close();
    }
  });

  it('an MQTT port in use', async () => {
    const { port, server } = await occupiedPort();
    try {
      expectOneLineError(await run(['serve', '-t', 'mqtt', '--port', '0', '--mqtt-port', String(port)]), new RegExp(`${port}.*in use`));
    } finally {
      server.close();
    }
  });

  it('an MQTT over WebSocket port in use', async () => {
    const { port, server } = await occupiedPort();
    try {
      const result = await run(['serve', '--port', '0', '--mqtt-port', '0', '--mqtt-ws-port', String(port), '--state-file', 'none']);
      expectOneLineError(result, new RegExp(`port ${port} is in use .*--mqtt-ws-port`));
    } finally {
      server.close();
    }
  });

  it('play without a terminal', async () => {
    expectOneLineError(await run(['play', '--player', '1']), /interactive terminal/);
  });
});

describe('--help', () => {
  it('lists every command', async () => {
    const { code, output } = await run(['--help']);
    expect(code).toBe(0);
    for (const name of ['serve', 'play', 'watch', 'bot', 'demo']) expect(output).toMatch(new RegExp(`pong ${name}`));
  });

  it.each([['serve'], ['play'], ['watch'], ['bot'], ['demo']])('pong %s --help shows its flags and examples', async (name) => {
    const { code, output } = await run([name, '--help']);
    expect(code).toBe(0);
    expect(output).toMatch(/Examples:/);
    expect(output).toMatch(/--transport/);
  });
});
