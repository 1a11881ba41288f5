/**
 * `pong compare --plot` as a person runs it: a real compare (its own server, bots and
 * observers), measured for a few seconds, then the picture written: a line per transport
 * over exactly the frames the JSON's figures count, each frame a transport lost marked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { transportLabel } from '../../src/plots/theme.js';
import { transportNames } from '../../src/transports/registry.js';
import { killAll, runPong } from '../helpers/cli.js';
import { fieldOf, marks, texts } from '../plots/svg.js';

const dir = mkdtempSync(join(tmpdir(), 'pong-compare-plot-'));
afterEach(killAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  sameFrames: number;
  transports: Record<string, { frames: number; framesLost: number; seqFrom: number | null; seqTo: number | null }>;
}

describe('pong compare --plot', () => {
  it('with --json: prints the figures and draws every transport over the same frames', async () => {
    const file = join(dir, 'every-transport.svg');
    const proc = runPong(['compare', '--json', '--duration', '3', '--plot', file, '--game', `cmpplot${process.pid}`]);
    let stdout = '';
    proc.child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    proc.child.stdin.end();
    expect(await proc.exited, proc.output()).toBe(0);
    const report = JSON.parse(stdout) as Report;
    const svg = readFileSync(file, 'utf8');

    // A line per transport, every registered one, each named in the legend.
    const lines = marks(svg, 'line mark');
    expect(lines.map((line) => fieldOf(line, 'transport')).sort()).toEqual(transportNames.map(transportLabel).sort());
    const words = texts(svg);
    for (const name of transportNames) expect(words).toContain(transportLabel(name));
    expect(words).toContain('one-way (ms)');
    expect(words).toContain('time (s, from the server sending the first frame)');

    // The frames drawn are the frames the figures count: the same window on every line.
    const [first] = Object.values(report.transports);
    const frames = first!.seqTo! - first!.seqFrom! + 1;
    expect(frames).toBeGreaterThan(60);
    expect(words.some((w) => w.startsWith(`${frames} frames (seq ${first!.seqFrom}–${first!.seqTo}), the same frames on every line`))).toBe(true);
    // Each transport's losses: in its row's header, and one mark each.
    let lost = 0;
    for (const name of transportNames) {
      const t = report.transports[name]!;
      lost += t.framesLost;
      expect(words).toContain(`${transportLabel(name)}: ${t.framesLost === 0 ? 'no frame lost' : `${t.framesLost} of ${frames} frames lost`}`);
    }
    expect(marks(svg, 'rule mark')).toHaveLength(lost);
    expect(words.some((w) => w.includes('no simulated network conditions'))).toBe(true);
  }, 60_000);

  it('without --json: prints where the plot is and a line of figures per transport', async () => {
    const file = join(dir, 'two.svg');
    const proc = runPong(['compare', '-t', 'ws,webrtc', '--duration', '1', '--plot', file, '--game', `cmpplot2${process.pid}`]);
    proc.child.stdin.end();
    expect(await proc.exited, proc.output()).toBe(0);
    const lines = proc.output().trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^plot: ${file} \\(\\d+ frames every transport received\\)$`));
    expect(lines.slice(1).map((line) => line.trim().split(/\s+/)[0])).toEqual(['ws', 'webrtc']);
    for (const line of lines.slice(1)) expect(line).toMatch(/one-way p50 [\d.]+ ms · p99 [\d.]+ ms · max [\d.]+ ms · \d+ of \d+ frames lost$/);
    const drawn = marks(readFileSync(file, 'utf8'), 'line mark').map((line) => fieldOf(line, 'transport'));
    expect(drawn).toEqual(['WebSocket (ws)', 'WebRTC']);
  }, 60_000);
});
