/**
 * Remote ICE candidates that arrive before the remote description they belong to. Trickled
 * candidates and the description travel as separate messages, and nothing guarantees their
 * order (a relay, a reconnecting socket, another client implementation): libdatachannel
 * refuses a candidate without a remote description, so they wait here and are applied right
 * after it is set. Bounded, because a client can send candidates for a negotiation that never
 * comes.
 */
export interface RemoteCandidate {
  candidate: string;
  mid: string;
}

export const MAX_BUFFERED_CANDIDATES = 64;

export class CandidateBuffer {
  private readonly pending = new Map<number, RemoteCandidate[]>();
  private count = 0;
  /** Candidates refused because the buffer was full. */
  overflowed = 0;

  constructor(private readonly limit = MAX_BUFFERED_CANDIDATES) {}

  push(id: number, candidate: RemoteCandidate): boolean {
    if (this.count >= this.limit) {
      this.overflowed += 1;
      return false;
    }
    const list = this.pending.get(id);
    if (list) list.push(candidate);
    else this.pending.set(id, [candidate]);
    this.count += 1;
    return true;
  }

  /** The candidates of negotiation `id`, in arrival order; those of older ones are discarded. */
  take(id: number): RemoteCandidate[] {
    const taken = this.pending.get(id) ?? [];
    for (const key of [...this.pending.keys()]) {
      if (key <= id) {
        this.count -= this.pending.get(key)?.length ?? 0;
        this.pending.delete(key);
      }
    }
    return taken;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.pending.clear();
    this.count = 0;
  }
}
