/**
 * The small live court, with the score and the game's phase beside it, and the keys: q quits
 * in every mode, and with --play the arrows, space and r drive player 1 through the same
 * ClientControls and key handling as `pong play`.
 */
import { memo, useCallback, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { ClientControls, ViewSource } from '../../client/view-state.js';
import type { CourtSize, PlayerNumber } from '../../protocol/messages.js';
import { DEFAULT_COURT, renderCourt, withTitle, type CourtGeometry } from '../court.js';
import { statusText } from '../text.js';
import { useGameKeys } from '../use-game-keys.js';
import { COURT_COLS, COURT_ROWS } from './layout.js';
import { usePolled } from './use-polled.js';

export interface CourtPaneProps {
  source: ViewSource;
  controls: ClientControls;
  /** The player this screen steers (--play), or null. */
  player: PlayerNumber | null;
  fps: number;
  /** Shown under the score, beside the court. */
  aside?: ReactNode;
}

function courtOf(size: CourtSize | undefined): CourtGeometry {
  if (!size) return DEFAULT_COURT;
  const ok = [size.width, size.height, size.paddleHeight].every((v) => Number.isFinite(v) && v > 0);
  return ok && size.paddleHeight < size.height ? size : DEFAULT_COURT;
}

export const CourtPane = memo(function CourtPane({ source, controls, player, fps, aside }: CourtPaneProps) {
  const read = useCallback(() => source.getState(), [source]);
  const view = usePolled(read, 1000 / fps);
  const localY = useGameKeys({ source, controls, mode: player === null ? 'watch' : 'play', player });

  const paddles = {
    p1: player === 1 && localY !== null ? localY : view.paddles.p1,
    p2: player === 2 && localY !== null ? localY : view.paddles.p2,
  };
  const lines = renderCourt(view.ball, paddles, COURT_COLS, COURT_ROWS, courtOf(view.state?.court));
  lines[0] = withTitle(lines[0] ?? '', 'the game');
  const state = view.state;
  const you = (p: PlayerNumber): string => (player === p ? ' (you)' : '');
  const score = state ? `P1${you(1)}  ${state.p1Score} : ${state.p2Score}  P2${you(2)}` : 'P1  – : –  P2';

  return (
    <Box flexDirection="row">
      <Box flexDirection="column" flexShrink={0}>
        {lines.map((line, i) => (
          <Text key={i} wrap="truncate">
            {line}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column" marginLeft={2}>
        <Text bold>{score}</Text>
        <Text wrap="truncate">{statusText(state, player, Date.now())}</Text>
        {aside}
      </Box>
    </Box>
  );
});
