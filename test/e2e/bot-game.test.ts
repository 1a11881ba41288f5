/**
 * End to end, per transport: `pong serve` and two `pong bot` processes play a whole game to a
 * winner over real sockets, and the retained state topic shows the final score.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { readRetainedState } from '../helpers/state.js';
import { transportNames } from '../../src/transports/registry.js';
import type { TransportName } from '../../src/transports/transport.js';

const POINTS = 3;

afterEach(killAll);

function urlFlags(transport: TransportName, urls: { mqttUrl?: string; httpUrl?: string }): string[] {
  return transport === 'mqtt' ? ['--broker', urls.mqttUrl!] : ['--server', urls.httpUrl!];
}

describe.each(transportNames.map((name) => [name]))('a bot-vs-bot game over %s', (transport) => {
  it('finishes with a winner and the state topic shows the final score', async () => {
    const gameId = `e2e-${transport}`;
    const server = await startPongServe(['--transport', transport, '--points', String(POINTS), '--game', gameId]);
    const common = ['--game', gameId, '--transport', transport, ...urlFlags(transport, server), '--skill', '0.6'];
    const bot1 = runPong(['bot', '--player', '1', ...common]);
    const bot2 = runPong(['bot', '--player', '2', ...common]);

    const [, p1, p2, winner] = await bot1.waitFor(/final score (\d+)-(\d+), winner P(\d)/, 150_000);
    await bot2.waitFor(/final score/, 10_000);
    expect(await bot1.exited).toBe(0);
    expect(await bot2.exited).toBe(0);
    expect(Math.max(Number(p1), Number(p2))).toBe(POINTS);
    expect(Number(winner)).toBe(Number(p1) > Number(p2) ? 1 : 2);
    // Every frame was measured: the bot reports real one-way figures, not dashes.
    expect(bot1.output()).toMatch(/one-way latency p50 \d+\.\d{3} ms, p99 \d+\.\d{3} ms/);

    const state = await readRetainedState(transport, server, gameId);
    expect(state.status).toBe('ended');
    expect(state.p1Score).toBe(Number(p1));
    expect(state.p2Score).toBe(Number(p2));
    expect(state.winner).toBe(Number(winner));
  }, 180_000);
});
