// qlobber ships no types; this declares the part the bus uses.
declare module 'qlobber' {
  interface QlobberOptions {
    separator?: string;
    wildcard_one?: string;
    wildcard_some?: string;
    match_empty_levels?: boolean;
  }
  class QlobberDedup {
    constructor(options?: QlobberOptions);
    add(topic: string, value: unknown): this;
    remove(topic: string, value?: unknown): this;
    match(topic: string): Set<unknown>;
    clear(): this;
  }
  class QlobberTrue {
    constructor(options?: QlobberOptions);
    add(topic: string): this;
    remove(topic: string): this;
    test(topic: string): boolean;
    clear(): this;
  }
  const Qlobber: { QlobberDedup: typeof QlobberDedup; QlobberTrue: typeof QlobberTrue };
  export default Qlobber;
}
