/**
 * Debian's Chromium driven by playwright-core (no browser download exists here): one browser
 * per test file, shared by its cases. A missing chromium skips the file on a developer machine
 * and fails it under CI=true, as every system binary does (./binaries.ts).
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium as launch } from '../../src/bench/render/chromium.js';
import { requireBinary } from './binaries.js';

/** True when the browser tests can run; throws under CI when chromium is missing. */
export function requireChromium(): boolean {
  return requireBinary('chromium');
}

/** Debian's Chromium with the flags in src/bench/render/chromium.ts (the bench starts it the same way). */
export function launchChromium(): Promise<Browser> {
  return launch();
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
