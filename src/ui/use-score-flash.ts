import { useEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';
import type { PlayerNumber, StateMessage } from '../protocol/messages.js';

/**
 * Who just scored, for `flashMs` after their score went up (null otherwise), ringing the
 * terminal bell at that moment if asked. A score going down is a new game, not a point.
 */
export function useScoreFlash(state: StateMessage | null, flashMs: number, bell: boolean): PlayerNumber | null {
  const { stdout } = useStdout();
  const [flash, setFlash] = useState<PlayerNumber | null>(null);
  const last = useRef<{ p1: number; p2: number } | null>(null);
  const p1 = state?.p1Score ?? null;
  const p2 = state?.p2Score ?? null;

  useEffect(() => {
    if (p1 === null || p2 === null) return;
    const before = last.current;
    last.current = { p1, p2 };
    if (before === null) return;
    const scorer: PlayerNumber | null = p1 > before.p1 ? 1 : p2 > before.p2 ? 2 : null;
    if (scorer === null) return;
    // BEL moves no cursor, so it can go straight to the terminal between two frames.
    if (bell) stdout.write('\u0007');
    setFlash(scorer);
    const timer = setTimeout(() => setFlash(null), flashMs);
    return () => clearTimeout(timer);
  }, [p1, p2, bell, flashMs, stdout]);

  return flash;
}
