/**
 * Every run is kept: bench/results/<date>-<kind>.json and .md, so a figure quoted later can be
 * traced to the machine and the day it was measured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdown, type BenchReport } from './report.js';

/** dist/bench/ → the project's bench/results/. */
export const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));

export function saveResults(report: BenchReport, dir = DEFAULT_RESULTS_DIR): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = report.machine.date.replace(/[:.]/g, '-');
  const base = join(dir, `${stamp}-${report.kind}`);
  const json = `${base}.json`;
  const md = `${base}.md`;
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, markdown(report));
  return { json, md };
}
