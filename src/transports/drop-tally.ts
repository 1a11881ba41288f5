/** Refused input of one gateway, by reason: what `stats` and the server log show. */
export class DropTally {
  private readonly counts = new Map<string, number>();
  private sum = 0;

  record(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.sum += 1;
  }

  get total(): number {
    return this.sum;
  }

  get(reason: string): number {
    return this.counts.get(reason) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
