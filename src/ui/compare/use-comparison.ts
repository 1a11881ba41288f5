import { useCallback, useSyncExternalStore } from 'react';
import type { ComparisonSnapshot, ComparisonSource } from '../../compare/snapshot.js';

/** The comparison's latest snapshot; re-renders only on its ticks (a few per second). */
export function useComparison(source: ComparisonSource): ComparisonSnapshot {
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
  const read = useCallback(() => source.snapshot(), [source]);
  return useSyncExternalStore(subscribe, read, read);
}
