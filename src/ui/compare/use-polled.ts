import { useEffect, useState } from 'react';

/**
 * Samples `read` every `intervalMs` instead of following its source: the observers' sessions
 * change on every ball frame of every transport (240 times a second with four), and a small
 * court drawn at 30 fps looks the same for a fraction of the CPU.
 */
export function usePolled<T extends object>(read: () => T, intervalMs: number): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    // Same object, same state: React skips the render when nothing changed.
    const timer = setInterval(() => setValue(read()), intervalMs);
    return () => clearInterval(timer);
  }, [read, intervalMs]);
  return value;
}
