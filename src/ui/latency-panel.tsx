/**
 * This client's frame latency. It samples the view source a few times a second instead of
 * following it: the figures are unreadable at 60 Hz and re-rendering them every frame would
 * only cost CPU. Memoized on its props, which the 60 Hz parent never changes.
 */
import { memo, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import type { ViewSource } from '../client/view-state.js';
import type { PeerLatencyStats } from '../protocol/messages.js';
import type { LatencySnapshot } from '../metrics/frame-latency.js';
import { sparkline } from './sparkline.js';
import { LATENCY_PANEL_ROWS } from './layout.js';
import { formatMs, latencyHeading, latencyItems, packItems } from './text.js';

/**
 * Twice a second, the rate of the server's own stats: figures a reader can follow. Each refresh
 * is a whole Ink frame (the screen rewritten, then the court repainted over it); at 4 Hz those
 * cost about 1.4 % of a core more than at 1 Hz, measured on `pong watch`.
 */
export const LATENCY_REFRESH_MS = 500;

export interface LatencyPanelProps {
  source: ViewSource;
  width: number;
  refreshMs?: number;
}

interface Sample {
  latency: LatencySnapshot;
  server: PeerLatencyStats | null;
}

function sample(source: ViewSource): Sample {
  const state = source.getState();
  return { latency: state.latency, server: state.serverStats };
}

export const LatencyPanel = memo(function LatencyPanel({ source, width, refreshMs = LATENCY_REFRESH_MS }: LatencyPanelProps) {
  const [{ latency, server }, setSample] = useState(() => sample(source));
  useEffect(() => {
    const refresh = (): void => {
      const next = sample(source);
      setSample((prev) => (prev.latency === next.latency && prev.server === next.server ? prev : next));
    };
    refresh();
    const timer = setInterval(refresh, refreshMs);
    return () => clearInterval(timer);
  }, [source, refreshMs]);

  // Always the same number of lines (a blank one is a space: an empty <Text> takes no line),
  // because the layout counts on the panel's height.
  const figures = packItems([latencyHeading(latency), ...latencyItems(latency, server)], width, LATENCY_PANEL_ROWS - 1);
  while (figures.length < LATENCY_PANEL_ROWS - 1) figures.push(' ');

  return (
    <Box flexDirection="column">
      {figures.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
      <Text wrap="truncate" color="cyan">
        {sparkRow(latency, width)}
      </Text>
    </Box>
  );
});

function sparkRow(latency: LatencySnapshot, width: number): string {
  const recent = latency.recent.filter((v) => Number.isFinite(v));
  if (recent.length === 0) return 'no ball frames yet';
  const approx = !latency.offsetKnown;
  const range = ` ${formatMs(Math.min(...recent), approx)}–${formatMs(Math.max(...recent), approx)} ms`;
  return sparkline(recent, Math.max(1, width - range.length)) + range;
}
