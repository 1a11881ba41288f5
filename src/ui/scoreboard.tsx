import { memo } from 'react';
import { Box, Text } from 'ink';
import type { PlayerNumber } from '../protocol/messages.js';

export interface ScoreboardProps {
  p1Score: number | null;
  p2Score: number | null;
  /** The player this view steers, marked "(you)". */
  own: PlayerNumber | null;
  width: number;
  /** The player who just scored: their score flashes in inverse video (visible without colour). */
  flash?: PlayerNumber | null;
  p1Colour?: string | undefined;
  p2Colour?: string | undefined;
}

export const Scoreboard = memo(function Scoreboard({ p1Score, p2Score, own, width, flash = null, p1Colour, p2Colour }: ScoreboardProps) {
  const score = (value: number | null): string => (value === null ? '-' : String(value));
  return (
    <Box width={width} justifyContent="center">
      <Text wrap="truncate">
        <Text color={p1Colour}>P1{own === 1 ? ' (you)' : ''}</Text>
        {'   '}
        <Text bold>
          <Text inverse={flash === 1}>{score(p1Score)}</Text> : <Text inverse={flash === 2}>{score(p2Score)}</Text>
        </Text>
        {'   '}
        <Text color={p2Colour}>P2{own === 2 ? ' (you)' : ''}</Text>
      </Text>
    </Box>
  );
});
