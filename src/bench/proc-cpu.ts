/**
 * A process's CPU time read from outside it, every thread, in nanoseconds: the sum of
 * /proc/<pid>/task/<tid>/schedstat's first field (time on CPU, exact, not sampled at the clock
 * tick as /proc/<pid>/stat is). The bench reads its hosts this way where it can, because a host
 * asked for its own figures must wake to answer, and on these machines a wake after a long sleep
 * costs 12–20 ms of CPU: as much as an idle server spends in a minute. Linux only; null elsewhere,
 * or when the process is gone.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function processCpuNs(pid: number): number | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let total = 0;
  for (const tid of tids) {
    try {
      const onCpu = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      if (Number.isFinite(onCpu)) total += onCpu;
    } catch {
      // A thread that ended between the listing and the read spent nothing since.
    }
  }
  return total;
}
