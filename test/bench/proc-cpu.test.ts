/**
 * The bench reads an idle host's CPU from /proc rather than asking it (an answer is a wake, and
 * a wake is what idle is measured against): the reading must agree with the process's own.
 */
import { describe, expect, it } from 'vitest';
import { processCpuNs } from '../../src/bench/proc-cpu.js';

const onLinux = process.platform === 'linux';

describe('processCpuNs', () => {
  it.runIf(onLinux)('reads, from outside, the CPU a process spends on itself', () => {
    const ownUs = () => {
      const usage = process.cpuUsage();
      return usage.user + usage.system;
    };
    const before = processCpuNs(process.pid)!;
    const start = ownUs();
    while (ownUs() - start < 60_000) Math.sqrt(Math.random());
    const spentMs = (processCpuNs(process.pid)! - before) / 1e6;
    // Every thread counts (a GC helper may add a little), and /proc/stat's 10 ms tick does not.
    expect(spentMs).toBeGreaterThanOrEqual(55);
    expect(spentMs).toBeLessThan(200);
  });

  it('gives null for a process that is not there', () => {
    expect(processCpuNs(2 ** 22 + 12345)).toBeNull();
  });
});
