import { memo } from 'react';
import { Text } from 'ink';
import type { PlayerNumber, StateMessage } from '../protocol/messages.js';
import { statusText } from './text.js';
import { useClock } from './use-clock.js';

export interface StatusLineProps {
  state: StateMessage | null;
  /** The player this view steers; null when watching. */
  me: PlayerNumber | null;
  /** Epoch milliseconds, the clock autoServeAt is written in. */
  now?: () => number;
}

const COLOURS = { waiting: 'yellow', paused: 'yellow', playing: 'cyan', ended: 'green' } as const;

export const StatusLine = memo(function StatusLine({ state, me, now }: StatusLineProps) {
  // Countdowns tick on their own: the ball is still while a serve or a dropped player is awaited.
  const countdown = (state?.servingPlayer != null && state.autoServeAt != null) || state?.forfeitAt != null;
  const time = useClock(250, countdown, now);
  return (
    <Text wrap="truncate" color={state ? COLOURS[state.status] : 'yellow'} bold={state?.status === 'ended'}>
      {statusText(state, me, time)}
    </Text>
  );
});
