/**
 * The render bench in a browser: the page `pong serve` hands out, in headless Chromium, playing
 * seat 1 of a live game over the browser's WebSocket against a bot, with a game server of its
 * own. Keys are pressed as in the terminal's render bench (up and down in turn, space to serve
 * between them). Figures: frames the page drew per second (its own frame meter, `&fps`), the
 * time each draw took, and Chromium's main-thread time (DevTools' TaskDuration: every task on
 * the page's main thread, message handling, acks, layout and paint included) per frame drawn.
 */
import { LatencyHistogram } from '../../metrics/histogram.js';
import { BenchChild } from '../bench-child.js';
import { spreadOf, type Spread } from '../figures.js';
import { sleep } from '../game-bench.js';
import type { HostConfig, PlayersConfig } from '../ipc.js';
import type { Progress } from '../progress.js';
import { launchChromium } from './chromium.js';

const GAME = 'render-browser';
const KEY_INTERVAL_MS = 900;
const SERVE_EVERY_MS = 100;
const STARTUP_MS = 3_000;

export interface BrowserRenderResult {
  durationS: number;
  warmupS: number;
  framesPerSecond: number | null;
  /**
   * Display frames (animation frames) per second over the window: what the page could have
   * drawn. It draws only when something moved, so a ball waiting for a serve costs none.
   */
  displayFramesPerSecond: number | null;
  /** Chromium's main-thread task time per frame drawn, ms. */
  mainThreadMsPerFrame: number | null;
  /** Of which JavaScript, ms. */
  scriptMsPerFrame: number | null;
  /** One draw of the court, status line included, ms. */
  draw: Spread;
  chromium: string;
}

interface MeterReading {
  draws: number;
  drawMs: number;
  recent: number[];
}

type Metrics = Record<string, number>;

export async function runBrowserRenderBench(options: { durationS: number; warmupMs: number; progress: Progress }): Promise<BrowserRenderResult> {
  const say = (what: string) => options.progress.show(`render (browser): ${what}`);
  const browser = await launchChromium();
  const server = new BenchChild('./server-process.js', 'render-browser-server');
  const bot = new BenchChild('./player-process.js', 'render-browser-bot');
  try {
    say('starting a ws game server, a bot and Chromium');
    const hostConfig: HostConfig = { role: 'server', transport: 'ws', games: [GAME] };
    const { urls } = await server.ask({ type: 'config', config: hostConfig }, 'ready', 20_000);
    const botConfig: PlayersConfig = { role: 'bots', transport: 'ws', urls: urls!, games: [GAME], player: 2 };
    await bot.ask({ type: 'config', config: botConfig }, 'ready', 20_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async (): Promise<Metrics> => {
      const { metrics: list } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
    };
    const meter = (): Promise<MeterReading> =>
      page.evaluate(() => {
        // In the page: the meter `&fps` puts there (src/web/game/frame-meter.ts).
        const reading = (globalThis as { pongFrameMeter?: { read(): MeterReading } }).pongFrameMeter?.read();
        if (reading === undefined) throw new Error('the page has no frame meter');
        return reading;
      });
    await page.goto(`${urls!.httpUrl}/?game=${GAME}&player=1&transport=ws&fps`);
    let up = true;
    const play = async (until: number): Promise<void> => {
      while (performance.now() + KEY_INTERVAL_MS < until) {
        await page.keyboard.press(up ? 'ArrowUp' : 'ArrowDown');
        up = !up;
        // A ball in play on every frame: a ball waiting for its serve needs no frames.
        for (let waited = 0; waited < KEY_INTERVAL_MS; waited += SERVE_EVERY_MS) {
          await sleep(SERVE_EVERY_MS);
          await page.keyboard.press(' ');
        }
      }
      await sleep(Math.max(0, until - performance.now()));
    };
    await sleep(STARTUP_MS);
    if ((await meter()).draws === 0) throw new Error('the page did not start drawing');
    say(`warming up ${Math.round(options.warmupMs / 1000)} s (playing)`);
    const w0 = performance.now();
    await play(w0 + options.warmupMs);
    const warmupS = (performance.now() - w0) / 1000;
    say(`measuring ${options.durationS} s`);
    // Counts the display's frames in the page; one callback a frame, next to the page's own.
    await page.evaluate(() => {
      // In the page (this file is type-checked without the DOM's names).
      const page = globalThis as unknown as { pongDisplayFrames: number; requestAnimationFrame(callback: () => void): number };
      page.pongDisplayFrames = 0;
      const count = (): void => {
        page.pongDisplayFrames += 1;
        page.requestAnimationFrame(count);
      };
      page.requestAnimationFrame(count);
    });
    const displayFrames = (): Promise<number> => page.evaluate(() => (globalThis as { pongDisplayFrames?: number }).pongDisplayFrames ?? 0);
    const [m0, r0, d0] = [await metrics(), await meter(), await displayFrames()];
    const t0 = performance.now();
    await play(t0 + options.durationS * 1000);
    const [m1, r1, d1] = [await metrics(), await meter(), await displayFrames()];
    const seconds = (performance.now() - t0) / 1000;
    const frames = r1.draws - r0.draws;
    const perFrame = (name: string): number | null =>
      frames > 0 && m1[name] !== undefined && m0[name] !== undefined ? Math.round((((m1[name]! - m0[name]!) * 1000) / frames) * 100) / 100 : null;
    const draws = new LatencyHistogram();
    for (const ms of r1.recent.slice(-Math.min(frames, r1.recent.length))) draws.record(ms);
    return {
      durationS: options.durationS,
      warmupS: Math.round(warmupS),
      framesPerSecond: Math.round((frames / seconds) * 10) / 10,
      displayFramesPerSecond: Math.round(((d1 - d0) / seconds) * 10) / 10,
      mainThreadMsPerFrame: perFrame('TaskDuration'),
      scriptMsPerFrame: perFrame('ScriptDuration'),
      draw: spreadOf(draws),
      chromium: browser.version(),
    };
  } finally {
    say('stopping');
    await browser.close();
    await Promise.all([bot.close(), server.close()]);
    options.progress.done();
  }
}
