/**
 * CPU and memory of this process over a window, as each bench process reports its own: the
 * parent cannot read a child's process.cpuUsage(), and /proc is Linux-only.
 */
import type { ProcessUsage } from './figures.js';

export interface UsageMark {
  cpuUs: number;
  at: number;
}

export function usageMark(): UsageMark {
  const cpu = process.cpuUsage();
  return { cpuUs: cpu.user + cpu.system, at: performance.now() };
}

export function usageSince(mark: UsageMark): ProcessUsage {
  const now = usageMark();
  const seconds = Math.max(1e-3, (now.at - mark.at) / 1000);
  return {
    cpuMsPerS: Math.round(((now.cpuUs - mark.cpuUs) / 1000 / seconds) * 10) / 10,
    // resourceUsage().maxRSS is in KiB: the high-water mark, which a sample of rss() would miss.
    peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
  };
}
