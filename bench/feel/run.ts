/**
 * `npm run bench:feel`: the game's feel, measured. Writes bench/results/feel-<date>.md and
 * prints it. Needs python3 (for the pseudo-terminal) and the built CLI (npm run build).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { ballErrorBench, type ErrorFigures } from './ball-error-bench.js';
import { keyLatencyBench, watchRenderBench, type RenderFigures } from './terminal-bench.js';
import { fixed } from './stats.js';

const RESULTS = fileURLToPath(new URL('../../../../../bench/results/', import.meta.url));
const KEY_SAMPLES = Number(process.env.FEEL_KEY_SAMPLES ?? 60);
const SECONDS = Number(process.env.FEEL_SECONDS ?? 15);

function renderRows(rows: RenderFigures[]): string[] {
  return rows.map((r) => `| ${r.label} | ${fixed(r.cpuPercent)} % | ${fixed(r.warmCpuPercent)} % | ${fixed(r.fps)} | ${fixed(r.bytesPerFrame, 0)} | ${fixed(r.seconds, 0)} s |`);
}

function errorRows(rows: ErrorFigures[]): string[] {
  return rows.map(
    (r) =>
      `| ${r.label} | ${fixed(r.meanNow, 2)} | ${fixed(r.p95Now, 2)} | ${fixed(r.maxNow, 2)} | ${r.bestLagMs} ms | ${fixed(r.meanShape, 3)} | ${fixed(r.maxShape, 2)} | ${r.samples} |`,
  );
}

async function main(): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const loadBefore = loadavg()[0] ?? NaN;
  process.stderr.write('key-to-screen latency in a pty…\n');
  const { keys, render: play } = await keyLatencyBench(KEY_SAMPLES);
  process.stderr.write('CPU and bytes per frame of pong watch…\n');
  const watch = await watchRenderBench(SECONDS);
  process.stderr.write('ball position error under 50 ± 20 ms…\n');
  const errors = await ballErrorBench(SECONDS);
  const loadAfter = loadavg()[0] ?? NaN;

  const lines = [
    `# Feel bench, ${date}`,
    '',
    `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared with other work: load average ${fixed(loadBefore, 2)} at the start, ${fixed(loadAfter, 2)} at the end (latency tails grow with it). NODE_ENV=production; terminal 100 x 40 (court 98 x 14).`,
    '',
    '## Key to screen (target p95 ≤ 20 ms)',
    '',
    'An arrow key written to the pseudo-terminal (python3 pty relay) → the first frame written back in which P1\'s paddle moved. `pong play` against `pong serve` and `pong bot` over MQTT.',
    '',
    '| samples | missed | p50 | p95 | max | mean |',
    '|---|---|---|---|---|---|',
    `| ${keys.samples} | ${keys.missed} | ${fixed(keys.p50)} ms | ${fixed(keys.p95)} ms | ${fixed(keys.max)} ms | ${fixed(keys.mean)} ms |`,
    '',
    '## Client CPU and output (target ≤ 10 % of a core at 60 fps)',
    '',
    'User + system CPU of the client process (/proc), frames written per second, and bytes per frame (one synchronized update each, escape sequences included). "CPU, first" is measured from a few seconds after the client starts, while V8 is still compiling its 60 Hz code to optimized code; "CPU, warm" over 15 s from 45 s after the start (FEEL_WARM_S), once it has.',
    '',
    '| client | CPU, first | CPU, warm | frames/s | bytes/frame | over |',
    '|---|---|---|---|---|---|',
    ...renderRows([play, ...watch]),
    '',
    '## Ball position error under 50 ms ± 20 ms delay and jitter',
    '',
    'Court units (the court is 40 x 12; one braille dot here is 0.2 units). "now": the drawn ball against the server\'s ball at the same instant, latency included. "shape": against the server\'s ball at the constant lag that fits best, i.e. the judder, stalls and leaps with the steady delay taken out. In play only (300 ms after serves and points left out).',
    '',
    '| display | mean now | p95 now | max now | best lag | mean shape | max shape | samples |',
    '|---|---|---|---|---|---|---|---|',
    ...errorRows(errors),
    '',
  ];
  const table = lines.join('\n');
  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}feel-${date}.md`;
  writeFileSync(file, table);
  process.stdout.write(`${table}\nwritten to ${file}\n`);
}

await main();
process.exit(0);
