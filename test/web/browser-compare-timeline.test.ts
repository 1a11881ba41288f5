/**
 * The compare page's live frame timeline, in a real Chromium against a real `pong serve --loss`:
 * a line per transport that receives frames, in the SVG's colours and names, the axis titles
 * and legend, the frames lost marked, redrawn live, and once a second with reduced motion.
 * What the canvas shows is read from what the page exposes of it and from its pixels. The
 * screenshot goes to test-artifacts/browser/compare-timeline.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { TIMELINE_TEXT } from '../../src/plots/timeline-series.js';
import { transportColours, transportLabel } from '../../src/plots/theme.js';
import { requireBinary } from '../helpers/binaries.js';
import { launchChromium, pageLog, requireChromium, screenshot } from '../helpers/chromium.js';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';

const ready = requireChromium() && requireBinary('mosquitto_sub');
/** The page's order (src/web/server-info.ts). */
const TRANSPORTS = ['ws', 'socketio', 'mqtt', 'webrtc'];
let browser: Browser;
let httpUrl: string;

beforeAll(async () => {
  if (!ready) return;
  // 5% of messages lost each way: WebRTC's unreliable channel loses ball frames outright.
  const server = await startPongServe(['--transport', 'all', '--state-file', 'none', '--game', 'lossy', '--loss', '5']);
  httpUrl = server.httpUrl!;
  runPong(['bot', '--player', '1', '--game', 'lossy', '--broker', server.mqttUrl!, '--forever']);
  runPong(['bot', '--player', '2', '--game', 'lossy', '--broker', server.mqttUrl!, '--forever']);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await killAll();
});

/** The little of a canvas the pixel count uses (the tests compile without the DOM's types). */
interface PixelCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

const number = async (timeline: Locator, name: string): Promise<number> => Number((await timeline.getAttribute(name)) ?? 0);

describe.skipIf(!ready)('the compare page’s frame timeline', () => {
  it('draws a line per transport over the same frames, with its axes and legend, marks lost frames, and redraws live', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const log = pageLog(page);
    try {
      await page.goto(`${httpUrl}/compare?game=lossy`);
      const timeline = page.locator('canvas[data-timeline]');
      await expect.poll(() => number(timeline, 'data-series'), { timeout: 30_000, message: `series drawn\n${log()}` }).toBe(4);
      expect(await timeline.getAttribute('data-x-title')).toBe(TIMELINE_TEXT.x);
      expect(await timeline.getAttribute('data-y-title')).toBe(TIMELINE_TEXT.y);
      expect(await timeline.getAttribute('data-legend')).toBe([...TRANSPORTS.map(transportLabel), TIMELINE_TEXT.lost].join(' | '));
      expect(await page.locator('.timeline-panel h2').textContent()).toBe(TIMELINE_TEXT.title);

      // Frames lost under --loss show as marks; three seconds of frames for the screenshot.
      await expect.poll(() => number(timeline, 'data-lost'), { timeout: 20_000, message: `lost frames marked\n${log()}` }).toBeGreaterThan(0);
      await expect.poll(() => number(timeline, 'data-frames-drawn'), { timeout: 15_000 }).toBeGreaterThanOrEqual(180);
      const lanes = JSON.parse((await timeline.getAttribute('data-lanes')) ?? '[]') as Array<{ name: string; colour: string; received: number; lost: number }>;
      expect(lanes.map((lane) => lane.name)).toEqual(TRANSPORTS);
      expect(lanes.map((lane) => lane.colour)).toEqual(transportColours(TRANSPORTS));
      for (const lane of lanes) expect(lane.received).toBeGreaterThan(0);

      // Each transport's colour is on the canvas below the legend: its line.
      const inked = await timeline.evaluate((element, colours: string[]) => {
        const canvas = element as unknown as PixelCanvas;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const targets = colours.map((hex) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)));
        const counts = colours.map(() => 0);
        // From 60 CSS pixels down (the page's scale is 1), past the legend's strokes.
        for (let p = 60 * canvas.width * 4; p < data.length; p += 4) {
          targets.forEach(([r, g, b], i) => {
            if (Math.abs(data[p]! - r!) + Math.abs(data[p + 1]! - g!) + Math.abs(data[p + 2]! - b!) < 60) counts[i]! += 1;
          });
        }
        return counts;
      }, transportColours(TRANSPORTS));
      // Nothing else on it is coloured: white, greys and black.
      for (const pixels of inked) expect(pixels).toBeGreaterThan(20);

      // Live: redrawn a few times a second, and once a second for a reader who asked for less motion.
      expect(await timeline.getAttribute('data-redraw-ms')).toBe('250');
      const before = await number(timeline, 'data-draws');
      await page.waitForTimeout(1000);
      expect(await number(timeline, 'data-draws')).toBeGreaterThanOrEqual(before + 3);
      // What a redraw costs is exposed (no timing is asserted: speed is the benchmarks' job).
      expect(Number.isFinite(Number(await timeline.getAttribute('data-draw-ms')))).toBe(true);
      await screenshot(page, 'compare-timeline');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await expect.poll(() => timeline.getAttribute('data-redraw-ms'), { timeout: 5_000 }).toBe('1000');
    } finally {
      await page.close();
    }
  }, 60_000);
});
