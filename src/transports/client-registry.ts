/**
 * Client ids across the whole server, every gateway together: an id is held by one connection
 * at a time, so an id in a seat, a watcher's ack topic or a seat answer's topic names exactly
 * one connection. A second connection asking for a held id is refused, unless it proves it is
 * the same client by presenting the token of a seat that id holds (a restarted process that
 * reconnects before the server noticed its old connection die): then the old connection is
 * ended, its will unpublished, and told why.
 */
import type { TransportName } from './transport-name.js';

export type ClaimRefusal = 'client-id-taken';

/** One connection asking for an id, as its gateway knows it. */
export interface Claimant {
  readonly transport: TransportName;
  readonly address: string;
  /** Ends this connection because a newer one proved it is the same client; no will is published. */
  takeOver(): void;
}

/** What a seat token proves: that its bearer is the client holding the seat. */
export interface SeatProofs {
  proves(clientId: string, token: string): boolean;
}

export interface Claim {
  /** The connection has ended: the id is free again (unless a newer connection already took it). */
  release(): void;
}

export class ClientRegistry {
  private readonly holders = new Map<string, Claimant>();
  private readonly goneListeners = new Set<(clientId: string) => void>();
  private refusedCount = 0;
  private takenOverCount = 0;

  constructor(private readonly proofs: SeatProofs | undefined) {}

  /** The id for this connection, or why not. `proof` is a seat token the client presented, if any. */
  claim(clientId: string, claimant: Claimant, proof: string | null): Claim | ClaimRefusal {
    const holder = this.holders.get(clientId);
    if (holder !== undefined) {
      if (proof === null || this.proofs?.proves(clientId, proof) !== true) {
        this.refusedCount += 1;
        return 'client-id-taken';
      }
      // Moved out first: the old connection's own release, as it closes, must not free the id.
      this.holders.delete(clientId);
      this.takenOverCount += 1;
      holder.takeOver();
    }
    this.holders.set(clientId, claimant);
    return {
      release: () => {
        if (this.holders.get(clientId) !== claimant) return;
        this.holders.delete(clientId);
        for (const listener of this.goneListeners) listener(clientId);
      },
    };
  }

  /**
   * Called with an id whose connection ended and was not taken over: the server's own word that
   * the client is gone, whether or not it left a will.
   */
  onGone(listener: (clientId: string) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  /** Whether a connection holds this id now. */
  holds(clientId: string): boolean {
    return this.holders.has(clientId);
  }

  get size(): number {
    return this.holders.size;
  }

  /** Connections refused a held id. */
  get refused(): number {
    return this.refusedCount;
  }

  /** Connections ended by a newer one of the same client. */
  get takenOver(): number {
    return this.takenOverCount;
  }
}
