/**
 * `pong bench --cluster` end to end, through the real binary, a redis-server of its own: every
 * figure of the run is there and makes sense, the Redis hop's floor beside the cluster's
 * figures, and the run is saved. Values are checked for sense, never for speed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterBenchResult } from '../../src/bench/cluster-bench.js';
import { killAll, runPong } from '../helpers/cli.js';
import { redisAvailable } from '../helpers/redis.js';

const out = mkdtempSync(join(tmpdir(), 'pong-bench-cluster-'));

afterAll(async () => {
  await killAll();
  rmSync(out, { recursive: true, force: true });
});

describe.skipIf(!redisAvailable())('pong bench --cluster --json', () => {
  it('measures the round trip through another node, CPU against one process and against the bare Redis hop, Redis commands and failover', { timeout: 240_000 }, async () => {
    const bench = runPong(['bench', '--cluster', '--games', '2', '--duration', '2', '--warmup', '3', '--kills', '1', '--json', '--out', out]);
    const code = await bench.exited;
    const text = bench.output();
    expect(code, text).toBe(0);
    const { kind, result } = JSON.parse(text.slice(text.indexOf('{\n'))) as { kind: string; result: ClusterBenchResult };
    expect(kind).toBe('cluster');
    expect(result.games).toBe(2);
    const { owner, otherNode } = result.roundTrip;
    for (const rtt of [owner, otherNode, result.redisHop.rtt]) {
      expect(rtt.p50).toBeGreaterThan(0);
      expect(rtt.p99).toBeGreaterThanOrEqual(rtt.p50);
    }
    expect(result.roundTrip.addedP50).toBeCloseTo(otherNode.p50 - owner.p50, 2);
    expect(result.cpuPerGame.clusterMsPerS).toBeGreaterThan(0);
    expect(result.cpuPerGame.singleMsPerS).toBeGreaterThan(0);
    expect(result.cpuPerGame.ratio).toBeCloseTo(result.cpuPerGame.clusterMsPerS / result.cpuPerGame.singleMsPerS, 2);
    expect(result.redisHop.msPerS).toBeGreaterThan(0);
    expect(result.redisCommandsPerGamePerS).toBeGreaterThan(60);
    expect(result.failover.kills).toBe(1);
    expect(result.failover.msEach).toHaveLength(1);
    for (const ms of result.failover.msEach) expect(ms).toBeGreaterThan(0);
    expect(result.failover.worst).toBe(Math.max(...result.failover.msEach));
    const saved = readdirSync(out).filter((name) => name.endsWith('-cluster.md'));
    expect(saved).toHaveLength(1);
    const md = readFileSync(join(out, saved[0]!), 'utf8');
    expect(md).toMatch(/\| added by the other node, p50 \/ p99 \| [\d.]+ \/ [\d.]+ ms \|/);
    expect(md).toMatch(/\| the Redis hop alone, there and back \(two bare processes\), p50 \/ p99: the floor of the added \| [\d.]+ \/ [\d.]+ ms \|/);
    expect(md).toMatch(/\| single \+ the hop alone, over single: the floor of cluster \/ single \| [\d.]+x \|/);
  });
});
