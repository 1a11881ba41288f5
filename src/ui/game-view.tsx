/**
 * The whole screen of `pong play` and `pong watch`. It follows the view source on every ball
 * frame (60 Hz); the parts that change less often are memoized components, so a frame costs
 * little more than the court's rows.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { Box } from 'ink';
import type { ClientControls, ViewSource } from '../client/view-state.js';
import type { CourtSize } from '../protocol/messages.js';
import { ConnectionLine } from './connection-line.js';
import { DEFAULT_COURT, type CourtGeometry } from './court.js';
import { CourtView } from './court-view.js';
import { HelpLine } from './help-line.js';
import { LatencyPanel } from './latency-panel.js';
import { fitLayout } from './layout.js';
import { Scoreboard } from './scoreboard.js';
import { StatusLine } from './status-line.js';
import { ownPlayer, roleLabel, type ViewMode } from './text.js';
import { TooSmall } from './too-small.js';
import { useGameKeys, type GameKeysOptions } from './use-game-keys.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface GameViewProps {
  source: ViewSource;
  controls: ClientControls;
  mode: ViewMode;
  title?: string;
  /** Monotonic ms for key timing; tests inject it. */
  keyClock?: GameKeysOptions['now'];
  /** Epoch ms, the clock of autoServeAt. */
  wallClock?: () => number;
  /** How often the latency panel re-reads the figures. */
  latencyRefreshMs?: number;
}

/** A court size announced by the server, if it is usable; the classic 40 x 12 otherwise. */
function courtOf(size: CourtSize | undefined): CourtGeometry {
  if (!size) return DEFAULT_COURT;
  const ok = [size.width, size.height, size.paddleHeight].every((v) => Number.isFinite(v) && v > 0);
  return ok && size.paddleHeight < size.height ? size : DEFAULT_COURT;
}

export function GameView(props: GameViewProps) {
  const { source, controls, mode, title = 'pong', keyClock, wallClock, latencyRefreshMs = 250 } = props;
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
  const getSnapshot = useCallback(() => source.getState(), [source]);
  const view = useSyncExternalStore(subscribe, getSnapshot, getSnapshot);

  const own = ownPlayer(view.role, mode);
  const localY = useGameKeys({ source, controls, mode, player: own, now: keyClock });
  const size = useTerminalSize();
  const court = courtOf(view.state?.court);
  const layout = fitLayout(size, court);

  if (layout.kind === 'too-small') return <TooSmall need={layout.need} have={layout.have} />;

  const state = view.state;
  return (
    <Box flexDirection="column" width={layout.width}>
      <Scoreboard p1Score={state?.p1Score ?? null} p2Score={state?.p2Score ?? null} own={own} width={layout.width} />
      <CourtView
        ballX={view.ball?.x ?? null}
        ballY={view.ball?.y ?? null}
        p1={own === 1 && localY !== null ? localY : view.paddles.p1}
        p2={own === 2 && localY !== null ? localY : view.paddles.p2}
        cols={layout.courtCols}
        rows={layout.courtRows}
        court={court}
        title={title}
      />
      <StatusLine state={state} me={own} now={wallClock} />
      <ConnectionLine
        gameId={view.gameId}
        role={roleLabel(view.role)}
        transport={view.transport}
        connection={view.connection}
        detail={view.connectionDetail}
      />
      <LatencyPanel source={source} width={layout.width} refreshMs={latencyRefreshMs} />
      <HelpLine mode={mode} />
    </Box>
  );
}
