/**
 * pong's own clients against a classic server (the pong-mqtt demo's, as test/helpers/classic-
 * server.mjs stands in for it: frames without seq at setInterval's ~61.6 Hz, unrounded floats,
 * Nagle on, no seat answers, no stats, acks unread, its loop stopped at the game's end): two
 * `pong bot`s play a whole game to its end and exit, and `pong play` in tmux shows the game,
 * says what cannot be measured against such a server, shows the end, and quits cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { killAll, PONG_BIN, runPong } from '../helpers/cli.js';
import { expectPlayedToEnd, startBotPair } from '../helpers/bot-pair.js';
import { startAedesBroker, type StandaloneBroker } from '../helpers/aedes-broker.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

const POINTS = 2;
const STAND_IN = fileURLToPath(new URL('../helpers/classic-server.mjs', import.meta.url));

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  await killAll();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface ClassicServer {
  output(): string;
}

/** A plain broker (pong's Aedes, nothing else) and the classic server as its client, in a process of its own. */
async function startClassic(gameId: string): Promise<{ broker: StandaloneBroker; server: ClassicServer }> {
  const broker = await startAedesBroker();
  cleanups.push(() => broker.teardown());
  const child: ChildProcess = spawn(process.execPath, [STAND_IN, broker.url, gameId, String(POINTS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  await waitFor(() => text.includes('classic server ready'), 'the classic server to subscribe', 10_000);
  return { broker, server: { output: () => text } };
}

describe('pong clients against a classic server', () => {
  it('two pong bots play a whole game to its end and exit, saying what cannot be measured', async () => {
    const gameId = 'classic-bots';
    const { broker, server } = await startClassic(gameId);
    const common = ['--game', gameId, '--broker', broker.url, '--skill', '0.4'];
    const bots = startBotPair(common);
    const { p1, p2 } = await expectPlayedToEnd(bots, POINTS);
    // The classic server counted the same game, and stopped its loop.
    expect(server.output()).toContain(`game over ${p1}-${p2}`);
    expect(bots.bot2.output()).toContain(`final score ${p1}-${p2}`);
    // Every point was served by the bots (the classic server has no auto-serve) and played out.
    for (const bot of [bots.bot1, bots.bot2]) {
      expect(bot.output()).toMatch(/classic server: it reads no acks \(no round trip\) and its frames carry no seq \(loss unknown\)/);
      expect(bot.output()).toMatch(/frame interval p50 \d+\.\d{3} ms, p99 \d+\.\d{3} ms, jitter \d+\.\d{3} ms, gaps over 50 ms \d+/);
    }
  }, 180_000);

  it('pong play shows the game and what cannot be measured, shows the end, and quits', async (context) => {
    if (!requireBinary('tmux')) return context.skip();
    const gameId = 'classic-play';
    const { broker, server } = await startClassic(gameId);
    runPong(['bot', '--player', '2', '--game', gameId, '--broker', broker.url, '--skill', '0.9']);
    const tmux = new TmuxSession(`node ${PONG_BIN} play --player 1 --game ${gameId} --broker ${broker.url} --no-host-server`, { width: 100, height: 40 });
    cleanups.push(() => tmux.kill());

    // Playing: the court, the score, and the panel saying plainly what this server leaves unmeasured.
    const playing = await tmux.waitForScreen(
      (screen) => /classic server:/.test(screen) && /frame interval ms p50 \d+\.\d+/.test(screen) && /P1 \(you\)\s+\d : \d\s+P2/.test(screen),
      20_000,
    );
    expect(playing).toMatch(/no acks: no round trip/);
    expect(playing).toMatch(/no seq: loss unknown/);
    expect(playing).toMatch(/gaps \d+/);
    expect(playing).toMatch(/game classic-play · P1 · mqtt connected/);

    // Nobody moves player 1's paddle; it serves whenever it is told to. The game reaches its end.
    const ended = await tmux.waitForScreen((screen) => {
      if (/space to serve|P1 to serve — space/.test(screen)) tmux.sendKeys('Space');
      return /P\d wins \d–\d|You win \d–\d/.test(screen);
    }, 150_000);
    const [, p1, p2] = server.output().match(/game over (\d+)-(\d+)/) ?? [];
    expect(p1).toBeDefined();
    const [won, lost] = Number(p1) > Number(p2) ? [p1, p2] : [p2, p1];
    expect(ended).toMatch(new RegExp(`(P\\d wins|You win) ${won}–${lost}`));

    tmux.sendKeys('q');
    await tmux.waitForScreen((screen) => /\[exited \d+\]/.test(screen), 10_000);
    expect(tmux.exitCode()).toBe(0);
  }, 200_000);
});
