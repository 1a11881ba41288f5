/**
 * A CPU profile of a bench process over the measured window only. `node --cpu-prof` covers a
 * process's whole life, and in a scale step the connects of hundreds of clients and the
 * warm-up outweigh the seconds measured; this starts V8's sampling profiler (the one
 * --cpu-prof uses, same .cpuprofile format) at measure and writes it at stop.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * Sampling interval: --cpu-prof's 1 ms. A window of a few seconds still gets thousands of
 * samples, and each costs the process time: at 250 µs a bot player used five times its CPU.
 */
export const WINDOW_SAMPLING_US = 1000;

export class WindowProfiler {
  #session: Session | null = null;

  /** `file`: where stop() writes the profile; undefined makes this a no-op. */
  constructor(private readonly file: string | undefined) {}

  async start(): Promise<void> {
    if (this.file === undefined || this.#session !== null) return;
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: WINDOW_SAMPLING_US });
    await session.post('Profiler.start');
    this.#session = session;
  }

  /** Writes the window's profile; the path written, or null when not profiling. */
  async stop(): Promise<string | null> {
    const session = this.#session;
    if (this.file === undefined || session === null) return null;
    this.#session = null;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await writeFile(this.file, JSON.stringify(profile));
    return this.file;
  }
}
