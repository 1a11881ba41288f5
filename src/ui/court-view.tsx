import { memo } from 'react';
import { Box, Text } from 'ink';
import { renderCourt, withTitle, type CourtGeometry } from './court.js';

export interface CourtViewProps {
  ballX: number | null;
  ballY: number | null;
  p1: number;
  p2: number;
  cols: number;
  rows: number;
  court: CourtGeometry;
  title: string;
}

/**
 * One <Text> per row: the court changes every frame, and Ink's cost grows with the number of
 * nodes (one node per cell saturates a core at 60 fps).
 */
export const CourtView = memo(function CourtView(props: CourtViewProps) {
  const ball = props.ballX !== null && props.ballY !== null ? { x: props.ballX, y: props.ballY } : null;
  const lines = renderCourt(ball, { p1: props.p1, p2: props.p2 }, props.cols, props.rows, props.court);
  lines[0] = withTitle(lines[0] ?? '', props.title);
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
});
