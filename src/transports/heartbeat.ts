/**
 * A WebSocket server's liveness sweep, run only while it has clients: on this kind of machine a
 * wake costs 1–3 ms of CPU however little it does, so a server with nobody to ping sleeps.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly everyMs: number,
    private readonly sweep: () => void,
    private readonly hasClients: () => boolean,
  ) {}

  /** A client arrived: sweep every `everyMs` from now until none is left. */
  wake(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(this.beat, this.everyMs);
    this.timer.unref();
  }

  /** A client left: if it was the last, sleep now rather than at the next sweep. */
  left(): void {
    if (!this.hasClients()) this.stop();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private readonly beat = (): void => {
    this.sweep();
    if (!this.hasClients()) this.stop();
  };
}
