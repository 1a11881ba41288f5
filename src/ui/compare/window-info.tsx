/** Where the game runs and which frames the figures describe, beside the court. */
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { ComparisonSource } from '../../compare/snapshot.js';
import { useComparison } from './use-comparison.js';

export interface WindowInfoProps {
  comparison: ComparisonSource;
  /** Where the game runs, in a few words. */
  where: string;
}

export function windowText(sameFrames: number, seqFrom: number | null, seqTo: number | null, measuring: boolean): string {
  if (!measuring) return 'waiting for every observer\'s clock offset…';
  if (seqFrom === null || seqTo === null) return 'same frames: none settled yet';
  return `same frames: ${sameFrames} of seq ${seqFrom}–${seqTo}`;
}

export const WindowInfo = memo(function WindowInfo({ comparison, where }: WindowInfoProps) {
  const snapshot = useComparison(comparison);
  const count = snapshot.transports.length;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate">
        game {snapshot.gameId} · {count} observer{count === 1 ? '' : 's'}, one per transport
      </Text>
      <Text wrap="truncate" dimColor>
        {where}
      </Text>
      <Text wrap="truncate">{windowText(snapshot.sameFrames, snapshot.seqFrom, snapshot.seqTo, snapshot.measuring)}</Text>
    </Box>
  );
});
