/** The machine a run was measured on: loopback latencies mean little without it. */
import { cpus, loadavg, totalmem } from 'node:os';
import type { MachinePauses } from './machine-pauses.js';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  arch: string;
  /** 1-minute load average when the run started: other work on the machine shows here. */
  loadAverage: number;
  date: string;
  /** What a spinning probe lost to the machine just before the run (absent in older results). */
  pauses?: MachinePauses;
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
  };
}
