import { useEffect, useState } from 'react';

/**
 * The wall clock, with a re-render every `intervalMs` while `active`: for text that changes
 * with time (a countdown) in components that must not wait for the 60 Hz frames to refresh.
 */
export function useClock(intervalMs: number, active: boolean, now: () => number = Date.now): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTicks((n) => n + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now();
}
