/**
 * Several addresses for one service (`--server a,b`, `--broker a,b`: the nodes of a cluster),
 * tried in turn: the first connection uses the first, and every new attempt after that the
 * next, round the ring. A node that died is left for the next one at the first reconnect;
 * any node serves any game, so which one answers does not matter.
 */
export function addressList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

export class AddressRing<T> {
  private index = 0;
  private used = false;

  constructor(private readonly addresses: readonly T[]) {
    if (addresses.length === 0) throw new RangeError('no address');
  }

  /** The address the current attempt uses. */
  get current(): T {
    return this.addresses[this.index]!;
  }

  /** The address for a new attempt: the first one first, then the next each time. */
  next(): T {
    if (this.used) this.index = (this.index + 1) % this.addresses.length;
    this.used = true;
    return this.current;
  }

  get size(): number {
    return this.addresses.length;
  }
}
