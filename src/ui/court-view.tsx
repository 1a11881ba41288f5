import { memo, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { renderCourtRuns, withTitle, type CourtGeometry, type Run } from './court.js';
import type { Palette } from './colours.js';

export interface CourtViewProps {
  ballX: number | null;
  ballY: number | null;
  p1: number;
  p2: number;
  cols: number;
  rows: number;
  court: CourtGeometry;
  title: string;
  palette: Palette;
  /** Walls drawn solid, in this colour if colour is on (a score flash). */
  flash?: boolean;
  flashColour?: string | undefined;
  /** Lines shown over the court, joined by '\n' so the memo compares a string. */
  overlay?: string;
}

/**
 * One <Text> per row: the court changes every frame, and Ink's cost grows with the number of
 * nodes (one node per cell saturates a core at 60 fps). Colour adds a nested <Text> per run of
 * alike cells, only when colour is on.
 */
export const CourtView = memo(function CourtView(props: CourtViewProps) {
  const { palette, flash = false, flashColour } = props;
  const ball = props.ballX !== null && props.ballY !== null ? { x: props.ballX, y: props.ballY } : null;
  const overlay = props.overlay ? props.overlay.split('\n') : [];
  const lines = renderCourtRuns(ball, { p1: props.p1, p2: props.p2 }, props.cols, props.rows, props.court, { flash, overlay });
  const top = lines[0]?.[0];
  if (top) lines[0] = [{ kind: 'wall', text: withTitle(top.text, props.title) }];

  const draw = (runs: Run[]): ReactNode => {
    if (!palette.enabled) return runs.map((run) => run.text).join('');
    return runs.map((run, i) => {
      const colour = run.kind === 'wall' && flash ? flashColour : palette.court[run.kind];
      const dim = palette.dim.has(run.kind);
      if (colour === undefined && !dim) return run.text;
      return (
        <Text key={i} color={colour} dimColor={dim}>
          {run.text}
        </Text>
      );
    });
  };
  return (
    <Box flexDirection="column">
      {lines.map((runs, i) => (
        <Text key={i} wrap="truncate">
          {draw(runs)}
        </Text>
      ))}
    </Box>
  );
});
