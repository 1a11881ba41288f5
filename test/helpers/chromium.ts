/**
 * Debian's Chromium driven by playwright-core (no browser download exists here): one browser
 * per test file, shared by its cases. A missing chromium skips the file on a developer machine
 * and fails it under CI=true, as every system binary does (./binaries.ts).
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireBinary } from './binaries.js';

export const CHROMIUM = process.env['PONG_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * --allow-loopback-in-peer-connection: the server's peer offers loopback candidates, which
 * Chromium ignores without it. The rest keep a headless Chromium off this machine's closed
 * network (it would try Google's hosts at every start). Chromium honours only the last
 * --disable-features, so none is passed here: playwright passes its own.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--allow-loopback-in-peer-connection',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
];

/** True when the browser tests can run; throws under CI when chromium is missing. */
export function requireChromium(): boolean {
  return requireBinary('chromium');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Where the browser tests leave their screenshots: test-artifacts/browser (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/browser/', import.meta.url));

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path: file });
  return file;
}

/** What the page printed to its console and threw, for a failing test's message. */
export function pageLog(page: Page): () => string {
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
  return () => lines.slice(-30).join('\n');
}
