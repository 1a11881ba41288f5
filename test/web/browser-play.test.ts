/**
 * The browser page in a real Chromium, against the real `pong serve --transport all` and a real
 * `pong bot` as seat 1: for each transport the page plays seat 2 over the browser's own client
 * (WebSocket, socket.io-client, mqtt.js over WebSocket, RTCPeerConnection). What the server did
 * with the page's input is observed outside the browser, with mosquitto_sub: the paddle in the
 * ball frames' p2y, the score. One more case plays on a phone-sized, touch-only page.
 * Screenshots go to test-artifacts/browser/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TransportName } from '../../src/transports/transport.js';
import { requireBinary } from '../helpers/binaries.js';
import { GameWatch } from '../helpers/ball-watch.js';
import { launchChromium, pageLog, requireChromium, screenshot } from '../helpers/chromium.js';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const TRANSPORTS: readonly TransportName[] = ['ws', 'socketio', 'mqtt', 'webrtc'];
const GAMES = [...TRANSPORTS.map((name) => `b-${name}`), 'b-touch'];

const ready = requireChromium() && requireBinary('mosquitto_sub');
let browser: Browser;
let httpUrl: string;
let mqttUrl: string;
const watches: GameWatch[] = [];

beforeAll(async () => {
  if (!ready) return;
  const server = await startPongServe(['--transport', 'all', '--state-file', 'none', ...GAMES.flatMap((game) => ['--game', game])]);
  httpUrl = server.httpUrl!;
  mqttUrl = server.mqttUrl!;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const watch of watches) watch.stop();
  await browser?.close();
  await killAll();
});

/** A game with a bot as seat 1, watched from outside. */
function gameWithBot(game: string): GameWatch {
  runPong(['bot', '--player', '1', '--game', game, '--broker', mqttUrl, '--forever']);
  const watch = new GameWatch(mqttUrl, game);
  watches.push(watch);
  return watch;
}

/** The page's p2 in the latest ball frames, once the server has them. */
async function settledP2(watch: GameWatch): Promise<number> {
  await waitFor(() => watch.lastFrame?.p2y !== undefined, 'ball frames with p2y');
  return watch.lastFrame!.p2y!;
}

async function figures(page: Page): Promise<string> {
  return (await page.locator('[data-figures]').textContent()) ?? '';
}

describe.skipIf(!ready)('the browser page plays seat 2 against a bot', () => {
  for (const transport of TRANSPORTS) {
    it(`over ${transport}: frames arrive, the panel shows figures, a key moves the paddle, a point is scored`, async () => {
      const game = `b-${transport}`;
      const watch = gameWithBot(game);
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const log = pageLog(page);
      try {
        await page.goto(`${httpUrl}/?game=${game}&player=2&transport=${transport}`);
        // Seated: the server's state shows seat 2 present.
        await waitFor(() => watch.lastState?.players?.p2 === true, `seat 2 taken by the page over ${transport}\n${log()}`, 20_000);
        await expect.poll(() => page.locator('[data-status]').textContent(), { timeout: 15_000 }).toContain(`${transport} connected`);
        // Frames arrived and were measured against the clock offset the server found (no "~"):
        // one-way figures, the server's round trip, and a sparkline of recent frames.
        await expect.poll(() => figures(page), { timeout: 15_000 }).toMatch(/p50 \d+(\.\d+)?p95.*server rtt p50 \d+(\.\d+)?/);
        await expect.poll(() => page.locator('[data-spark]').textContent(), { timeout: 5_000 }).toMatch(/^[▁▂▃▄▅▆▇█]+ \d+(\.\d+)?–\d+(\.\d+)? ms$/);

        // A key moves the paddle on the server: seen in the ball frames' p2y, outside the browser.
        const before = await settledP2(watch);
        const key = before < 4.5 ? 'ArrowDown' : 'ArrowUp';
        await page.keyboard.down(key);
        await waitFor(() => Math.abs((watch.lastFrame?.p2y ?? before) - before) >= 1, `p2y to move from ${before} after ${key}\n${log()}`, 10_000);
        await page.keyboard.up(key);

        // A point is scored (by either side) and the page shows it.
        await waitFor(() => watch.points >= 1, `a point in game ${game}`, 30_000);
        const state = watch.lastState!;
        await expect.poll(() => page.locator('[data-court]').getAttribute('data-score'), { timeout: 5_000 }).toBe(`${state.p1Score}-${state.p2Score}`);
        await screenshot(page, `court-${transport}`);
      } finally {
        await page.close();
      }
    }, 90_000);
  }

  it('on a phone-sized touch screen: dragging moves the paddle, a tap serves', async () => {
    const game = 'b-touch';
    const watch = gameWithBot(game);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const log = pageLog(page);
    try {
      await page.goto(`${httpUrl}/?game=${game}&player=2&transport=ws`);
      await waitFor(() => watch.lastState?.players?.p2 === true, `seat 2 taken by the phone\n${log()}`, 20_000);
      const court = page.locator('[data-court]');
      const box = (await court.boundingBox())!;
      const cdp = await context.newCDPSession(page);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', y: number) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: box.x + box.width * 0.8, y }] });

      // Drag from the middle of the court to its bottom edge: the paddle follows the finger.
      const before = await settledP2(watch);
      const top = box.y + box.height * 0.3;
      const bottom = box.y + box.height * 0.97;
      await touch('touchStart', top);
      for (let i = 1; i <= 10; i++) await touch('touchMove', top + ((bottom - top) * i) / 10);
      await touch('touchEnd', bottom);
      await waitFor(() => (watch.lastFrame?.p2y ?? before) >= 8, `p2y near the bottom after a drag (was ${before})\n${log()}`, 10_000);

      // When it is the phone's serve (after the bot scores), a tap serves.
      await waitFor(() => watch.lastState?.servingPlayer === 2, 'seat 2 to serve', 40_000);
      await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
      await waitFor(() => watch.serves.some((serve) => serve.player === 2), `a serve from seat 2 after the tap\n${log()}`, 5_000);
      await screenshot(page, 'court-phone');
    } finally {
      await context.close();
    }
  }, 90_000);
});
