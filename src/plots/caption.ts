/**
 * Under every plot's title: what was run, and on which machine and when. Loopback latencies
 * mean little without the machine, and a picture travels further than the file it came from.
 */

export interface PlotMachine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform?: string;
  arch?: string;
  memoryGb?: number;
}

export interface Caption {
  /** What was measured, in one line: the command's settings. */
  run: string;
  machine: PlotMachine;
  /** When it was measured. */
  date: Date;
  /** What the machine was doing meanwhile (its load, its pauses), on a line of its own. */
  note?: string;
}

export function machineLine(m: PlotMachine): string {
  const where = m.platform !== undefined ? ` · ${m.platform}${m.arch !== undefined ? `/${m.arch}` : ''}` : '';
  const memory = m.memoryGb !== undefined ? ` · ${m.memoryGb} GB` : '';
  return `${m.cpus} × ${m.cpuModel}${memory} · Node ${m.node}${where}`;
}

/** 2026-12-08 14:03 UTC: to the minute, in one time zone for every reader. */
export function dateLine(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The subtitle lines: the run, then the machine and the date, then the note if any. */
export function captionLines(caption: Caption): string[] {
  return [caption.run, `${dateLine(caption.date)} · ${machineLine(caption.machine)}`, ...(caption.note !== undefined ? [caption.note] : [])];
}
