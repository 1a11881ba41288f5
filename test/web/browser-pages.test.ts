/**
 * The browser page's other pages and its answers to bad input, in a real Chromium against real
 * `pong serve` processes: the compare page (four rows with frames), the lobby (games and who
 * sits where), an unknown game, a taken seat, a transport the server does not open, and a
 * server that goes away and comes back (the page reconnects and takes its seat again).
 * Screenshots go to test-artifacts/browser/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { requireBinary } from '../helpers/binaries.js';
import { GameWatch } from '../helpers/ball-watch.js';
import { launchChromium, pageLog, requireChromium, screenshot } from '../helpers/chromium.js';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { waitFor } from '../helpers/wait.js';

const ready = requireChromium() && requireBinary('mosquitto_sub');
let browser: Browser;
/** Serves every transport: the compare page, the lobby, a taken seat. */
let all: { httpUrl: string; mqttUrl: string };
const watches: GameWatch[] = [];
let stateDir: string;

beforeAll(async () => {
  if (!ready) return;
  stateDir = await mkdtemp(path.join(tmpdir(), 'pong-browser-'));
  const server = await startPongServe(['--transport', 'all', '--state-file', 'none', '--game', 'compared', '--game', 'open-seat']);
  all = { httpUrl: server.httpUrl!, mqttUrl: server.mqttUrl! };
  runPong(['bot', '--player', '1', '--game', 'compared', '--broker', all.mqttUrl, '--forever']);
  runPong(['bot', '--player', '2', '--game', 'compared', '--broker', all.mqttUrl, '--forever']);
  runPong(['bot', '--player', '1', '--game', 'open-seat', '--broker', all.mqttUrl, '--forever']);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const watch of watches) watch.stop();
  await browser?.close();
  await killAll();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

async function withPage(test: (page: Page, log: () => string) => Promise<void>): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await test(page, pageLog(page));
  } finally {
    await page.close();
  }
}

describe.skipIf(!ready)('the browser page', () => {
  it('compares one game over all four transports, side by side, each row with frames', async () => {
    await withPage(async (page, log) => {
      await page.goto(`${all.httpUrl}/compare?game=compared`);
      for (const transport of ['ws', 'socketio', 'mqtt', 'webrtc']) {
        await expect
          .poll(async () => Number(await page.locator(`tr[data-transport="${transport}"] [data-frames]`).getAttribute('data-frames').catch(() => '0')), {
            timeout: 30_000,
            message: `frames over ${transport}\n${log()}`,
          })
          .toBeGreaterThan(0);
      }
      await expect.poll(() => page.locator('[data-window]').textContent(), { timeout: 15_000 }).toMatch(/^same frames: \d+ of seq \d+–\d+/);
      // A second of frames in the window, for a screenshot worth looking at.
      await expect.poll(async () => Number((await page.locator('[data-window]').textContent())?.match(/^same frames: (\d+)/)?.[1] ?? 0), { timeout: 15_000 }).toBeGreaterThanOrEqual(60);
      expect(await page.locator('tr[data-transport]').count()).toBe(4);
      await screenshot(page, 'compare');
    });
  }, 60_000);

  it('lists the games in the lobby, with who sits where, and offers the free seat', async () => {
    await withPage(async (page) => {
      await page.goto(`${all.httpUrl}/?transport=socketio`);
      const compared = page.locator('tr[data-game="compared"]');
      const open = page.locator('tr[data-game="open-seat"]');
      await expect.poll(() => compared.count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => open.locator('[data-play]').getAttribute('data-play'), { timeout: 15_000 }).toBe('2');
      expect(await compared.locator('[data-play]').count()).toBe(0);
      expect(await compared.textContent()).toMatch(/taken.*taken/);
      await screenshot(page, 'lobby');
    });
  }, 30_000);

  it('sends an unknown game back to the lobby with a message', async () => {
    await withPage(async (page) => {
      await page.goto(`${all.httpUrl}/?game=no-such-game&watch&transport=ws`);
      await expect.poll(() => page.locator('[data-notice]').textContent(), { timeout: 15_000 }).toContain('There is no game “no-such-game” on this server.');
      expect(await page.locator('[data-games], [data-new-game]').count()).toBe(2);
    });
  }, 30_000);

  it('says a taken seat is taken and offers to watch instead', async () => {
    await withPage(async (page) => {
      await page.goto(`${all.httpUrl}/?game=compared&player=1&transport=webrtc`);
      await expect.poll(() => page.locator('[data-notice]').textContent(), { timeout: 20_000 }).toContain('Seat 1 of game “compared” is taken.');
      await page.locator('[data-watch-instead]').click();
      await expect.poll(() => page.locator('[data-status]').textContent(), { timeout: 15_000 }).toMatch(/spectator · webrtc connected/);
    });
  }, 40_000);

  it('names the flag for a transport the server does not open, and reconnects and re-joins when the server comes back', async () => {
    const [port, mqttPort] = [await freePort(), await freePort()];
    const args = ['serve', '-t', 'mqtt,ws', '--port', String(port), '--mqtt-port', String(mqttPort), '--game', 'again', '--state-file', path.join(stateDir, 'games.json')];
    let server = runPong(args);
    await server.waitFor(/press Ctrl-C to stop/);
    const httpUrl = `http://127.0.0.1:${port}`;
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    runPong(['bot', '--player', '1', '--game', 'again', '--broker', mqttUrl, '--forever']);
    await withPage(async (page, log) => {
      await page.goto(`${httpUrl}/?game=again&player=2&transport=webrtc`);
      await expect.poll(() => page.locator('[data-notice]').textContent(), { timeout: 15_000 }).toContain(
        'This server does not serve WebRTC data channels: start it with pong serve --transport mqtt,ws,webrtc (or --transport all).',
      );

      let watch = new GameWatch(mqttUrl, 'again');
      watches.push(watch);
      await page.goto(`${httpUrl}/?game=again&player=2&transport=ws`);
      await waitFor(() => watch.lastState?.players?.p2 === true && watch.lastState.status === 'playing', `the page seated in a game\n${log()}`, 20_000);

      // The server dies and comes back on the same ports with its saved game.
      await server.kill('SIGKILL');
      await expect.poll(() => page.locator('[data-status]').textContent(), { timeout: 15_000 }).toMatch(/ws reconnecting/);
      server = runPong(args);
      await server.waitFor(/press Ctrl-C to stop/);
      watch.stop();
      watch = new GameWatch(mqttUrl, 'again');
      watches.push(watch);
      await waitFor(() => watch.lastState?.players?.p2 === true, `the page back in seat 2 after the restart\n${log()}`, 30_000);
      await expect.poll(() => page.locator('[data-status]').textContent(), { timeout: 15_000 }).toMatch(/P2 · ws connected/);
    });
  }, 90_000);
});
