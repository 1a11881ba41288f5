/**
 * The whole screen of `pong play` and `pong watch`, centred across the terminal and shorter
 * than it (see layout.ts). With a CourtLayer (the CLI's case) the court is painted by the layer
 * on every display frame and this view re-renders only when the text around it changes (score,
 * status, connection; the latency panel samples on its own), a few times a second; without one
 * (tests, embedding) the court is an Ink component that follows every frame of the source.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Box } from 'ink';
import type { ClientControls, ClientViewState, ViewSource } from '../client/view-state.js';
import type { FrameTicker } from '../client/smoothing/frame-clock.js';
import type { CourtSize } from '../protocol/messages.js';
import { colourEnabled, palette as makePalette } from './colours.js';
import { ConnectionLine } from './connection-line.js';
import { DEFAULT_COURT, type CourtGeometry } from './court.js';
import type { CourtLayer } from './court-layer.js';
import { CourtView } from './court-view.js';
import { HelpLine } from './help-line.js';
import { LATENCY_REFRESH_MS, LatencyPanel } from './latency-panel.js';
import { fitLayout } from './layout.js';
import { MatchStats } from './match-stats.js';
import { countdownLines, HELP_LINES, resultLines } from './overlays.js';
import { Scoreboard } from './scoreboard.js';
import { StatusLine } from './status-line.js';
import { ownPlayer, roleLabel, type ViewMode } from './text.js';
import { TooSmall } from './too-small.js';
import { useClock } from './use-clock.js';
import { useGameKeys, type GameKeysOptions } from './use-game-keys.js';
import { useScoreFlash } from './use-score-flash.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface GameViewProps {
  source: ViewSource;
  controls: ClientControls;
  mode: ViewMode;
  title?: string;
  /** Monotonic ms for key timing; tests inject it. */
  keyClock?: GameKeysOptions['now'];
  /** Epoch ms on this machine's clock; autoServeAt is converted to it with the clock offset. */
  wallClock?: () => number;
  /** How often the latency panel re-reads the figures. */
  latencyRefreshMs?: number;
  /** The display frames the source publishes on (a SmoothedSource); the paddle animates on them. */
  frames?: FrameTicker;
  /** Paints the court outside Ink; the view leaves room for it. */
  courtLayer?: CourtLayer;
  /** Ring the terminal bell on every point. */
  bell?: boolean;
  /** Colour on or off; by default NO_COLOR, FORCE_COLOR=0 and TERM=dumb decide. */
  colour?: boolean;
}

/** How long the walls and the score flash after a point. */
export const FLASH_MS = 400;

/** A court size announced by the server, if it is usable; the classic 40 x 12 otherwise. */
function courtOf(size: CourtSize | undefined): CourtGeometry {
  if (!size) return DEFAULT_COURT;
  const ok = [size.width, size.height, size.paddleHeight].every((v) => Number.isFinite(v) && v > 0);
  return ok && size.paddleHeight < size.height ? size : DEFAULT_COURT;
}

/**
 * Whether two states read the same around the court: then the view need not re-render. The
 * server's figures are not compared: the latency panel samples them on its own.
 */
function sameChrome(a: ClientViewState, b: ClientViewState): boolean {
  return (
    a.state === b.state &&
    a.connection === b.connection &&
    a.connectionDetail === b.connectionDetail &&
    a.role === b.role &&
    a.gameId === b.gameId &&
    a.transport === b.transport
  );
}

/** The source's state, or with a court layer only its changes outside the court. */
function useViewState(source: ViewSource, chromeOnly: boolean): ClientViewState {
  const last = useRef<ClientViewState | null>(null);
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
  const getSnapshot = useCallback(() => {
    const next = source.getState();
    if (!chromeOnly) return next;
    if (last.current !== null && sameChrome(last.current, next)) return last.current;
    last.current = next;
    return next;
  }, [source, chromeOnly]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

export function GameView(props: GameViewProps) {
  const { source, controls, mode, title = 'pong', keyClock, latencyRefreshMs = LATENCY_REFRESH_MS, frames, courtLayer, bell = false } = props;
  const wallClock = props.wallClock ?? Date.now;
  const view = useViewState(source, courtLayer !== undefined);

  const [help, setHelp] = useState(false);
  const toggleHelp = useCallback(() => setHelp((open) => !open), []);
  const own = ownPlayer(view.role, mode);
  const localY = useGameKeys({
    source,
    controls,
    mode,
    player: own,
    now: keyClock,
    frames,
    trackLocal: frames === undefined,
    onHelp: toggleHelp,
  });
  const size = useTerminalSize();
  const court = courtOf(view.state?.court);
  const layout = fitLayout(size, court);
  const colour = props.colour ?? colourEnabled();
  const palette = useMemo(() => makePalette(colour), [colour]);
  const state = view.state;
  const flash = useScoreFlash(state, FLASH_MS, bell);

  // Counted from every frame the source publishes, whether or not this view re-renders for it.
  const stats = useRef<MatchStats | null>(null);
  stats.current ??= new MatchStats(court.width);
  const matchStats = stats.current;
  useEffect(() => {
    const observe = (): void => {
      const now = source.getState();
      matchStats.observe(now.ball, now.state);
    };
    observe();
    return source.subscribe(observe);
  }, [source, matchStats]);
  matchStats.observe(view.ball, state);

  // The server's clock, as far as this client knows it: autoServeAt is written in it. The
  // offset is read when the time is, so the server's figures (twice a second) need no render.
  const serverNow = useCallback(() => {
    const stats = source.getState().serverStats;
    return wallClock() - (stats !== null && stats.samples > 0 ? stats.offset : 0);
  }, [wallClock, source]);
  const counting = state?.servingPlayer != null && state.autoServeAt != null;
  const now = useClock(250, counting, serverNow);

  const overlay = help ? HELP_LINES[mode] : (resultLines(state, own, matchStats.summary, view.latency) ?? countdownLines(state, own, now) ?? []);
  const flashColour = flash === 1 ? palette.p1 : flash === 2 ? palette.p2 : undefined;
  const left = layout.kind === 'court' ? Math.max(0, Math.floor((size.columns - layout.width) / 2)) : 0;
  // Placed during render, so the layer knows the new layout before Ink writes the frame.
  courtLayer?.place(
    layout.kind === 'court'
      ? {
          row: 1,
          col: left,
          cols: layout.courtCols,
          rows: layout.courtRows,
          court,
          title,
          overlay,
          palette,
          flash: flash !== null,
          flashColour,
        }
      : null,
  );

  if (layout.kind === 'too-small') return <TooSmall need={layout.need} have={layout.have} />;

  return (
    <Box flexDirection="column" width={layout.width} marginLeft={left}>
      <Scoreboard
        p1Score={state?.p1Score ?? null}
        p2Score={state?.p2Score ?? null}
        own={own}
        width={layout.width}
        flash={flash}
        p1Colour={palette.p1}
        p2Colour={palette.p2}
      />
      {courtLayer ? (
        <Box height={layout.courtRows + 2} width={layout.courtCols + 2} />
      ) : (
        <CourtView
          ballX={view.ball?.x ?? null}
          ballY={view.ball?.y ?? null}
          p1={own === 1 && localY !== null ? localY : view.paddles.p1}
          p2={own === 2 && localY !== null ? localY : view.paddles.p2}
          cols={layout.courtCols}
          rows={layout.courtRows}
          court={court}
          title={title}
          palette={palette}
          flash={flash !== null}
          flashColour={flashColour}
          overlay={overlay.join('\n')}
        />
      )}
      <StatusLine state={state} me={own} now={serverNow} />
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
