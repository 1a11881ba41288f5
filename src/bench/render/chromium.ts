/**
 * Debian's Chromium as the bench and the tests start it, through playwright-core (a dev
 * dependency: an installed package without it says what to install). No browser is downloaded.
 */
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['PONG_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * --allow-loopback-in-peer-connection: the server's WebRTC peer offers loopback candidates,
 * which Chromium ignores without it. The rest keep a headless Chromium off a closed network (it
 * would try Google's hosts at every start). Chromium honours only the last --disable-features,
 * so none is passed here: playwright passes its own.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--allow-loopback-in-peer-connection',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
];

export class BrowserUnavailable extends Error {}

export async function launchChromium(): Promise<Browser> {
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new BrowserUnavailable('the browser bench needs playwright-core (npm install --save-dev playwright-core) and Chromium (apt-get install chromium)');
  }
  try {
    return await playwright.chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
  } catch (error) {
    throw new BrowserUnavailable(`cannot start Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set PONG_CHROMIUM): ${(error as Error).message.split('\n')[0]}`);
  }
}
