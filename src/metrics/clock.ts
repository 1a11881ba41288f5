/**
 * Time source for everything that stamps or measures frames: epoch milliseconds with
 * sub-millisecond precision (performance.timeOrigin + performance.now()), monotonic within a
 * process. Injected wherever time matters so tests can drive it.
 */
export type Clock = () => number;

export const systemClock: Clock = () => performance.timeOrigin + performance.now();
