/**
 * Every transport's figures side by side, re-rendered on the comparison's ticks (a few times
 * a second), never per frame.
 */
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { ComparisonSource, TransportFigures } from '../../compare/snapshot.js';
import { FIGURES_START, SPARK_INDENT, figuresLine, headerLine, sparkLine } from './columns.js';
import { useComparison } from './use-comparison.js';

export interface TransportTableProps {
  comparison: ComparisonSource;
  width: number;
}

function statusColor(t: TransportFigures): string {
  if (t.status === 'failed' || t.status === 'disconnected' || t.status === 'closed') return 'red';
  return t.status === 'connected' && t.offsetKnown ? 'green' : 'yellow';
}

export const TransportTable = memo(function TransportTable({ comparison, width }: TransportTableProps) {
  const snapshot = useComparison(comparison);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" bold>
        {headerLine()}
      </Text>
      {snapshot.transports.map((t) => {
        const line = figuresLine(t);
        return (
        <Box key={t.name} flexDirection="column">
          <Text wrap="truncate">
            <Text bold>{line.slice(0, SPARK_INDENT)}</Text>
            <Text color={statusColor(t)}>{line.slice(SPARK_INDENT, FIGURES_START)}</Text>
            {line.slice(FIGURES_START)}
          </Text>
          <Text wrap="truncate" color="cyan">
            {sparkLine(t, width)}
          </Text>
        </Box>
        );
      })}
    </Box>
  );
});
