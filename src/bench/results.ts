/**
 * Every run is kept: bench/results/<date>-<kind>.json and .md, and its plots beside them
 * (<date>-<kind>-<what>.svg, see plots.ts), so a figure quoted later can be traced to the
 * machine and the day it was measured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveBenchPlots } from './plots.js';
import { markdown, type BenchReport } from './report.js';

/** dist/bench/ → the project's bench/results/. */
export const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));

export interface SavedResults {
  json: string;
  md: string;
  plots: string[];
}

/**
 * The JSON and the tables first, then the plots: a plot that cannot be drawn loses no run
 * (the error says the run is saved).
 */
export async function saveResults(report: BenchReport, dir = DEFAULT_RESULTS_DIR): Promise<SavedResults> {
  mkdirSync(dir, { recursive: true });
  const stamp = report.machine.date.replace(/[:.]/g, '-');
  const base = join(dir, `${stamp}-${report.kind}`);
  const json = `${base}.json`;
  const md = `${base}.md`;
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, markdown(report));
  const plots = await saveBenchPlots(report, base).catch((error: unknown) => {
    throw new PlotsNotDrawn(md, error);
  });
  return { json, md, plots };
}

export class PlotsNotDrawn extends Error {
  constructor(
    readonly saved: string,
    cause: unknown,
  ) {
    super(`the run is saved (${saved}), but its plots could not be drawn: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PlotsNotDrawn';
  }
}
