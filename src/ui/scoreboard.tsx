import { memo } from 'react';
import { Box, Text } from 'ink';
import type { PlayerNumber } from '../protocol/messages.js';

export interface ScoreboardProps {
  p1Score: number | null;
  p2Score: number | null;
  /** The player this view steers, marked "(you)". */
  own: PlayerNumber | null;
  width: number;
}

export const Scoreboard = memo(function Scoreboard({ p1Score, p2Score, own, width }: ScoreboardProps) {
  const score = (value: number | null): string => (value === null ? '-' : String(value));
  return (
    <Box width={width} justifyContent="center">
      <Text wrap="truncate">
        P1{own === 1 ? ' (you)' : ''}{'   '}
        <Text bold>
          {score(p1Score)} : {score(p2Score)}
        </Text>
        {'   '}P2{own === 2 ? ' (you)' : ''}
      </Text>
    </Box>
  );
});
