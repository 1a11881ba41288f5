/**
 * Every sentence the view shows, as pure functions of the view state, so that wording is
 * decided (and tested) in one place and the components only lay it out.
 */
import type { PeerLatencyStats, PlayerNumber, StateMessage } from '../protocol/messages.js';
import type { ConnectionStatus, TransportName } from '../transports/transport.js';
import type { LatencySnapshot } from '../metrics/frame-latency.js';
import type { ClientRole } from '../client/view-state.js';

export type ViewMode = 'play' | 'watch';

/** The player this view steers, if any: a watcher or a spectator steers nothing. */
export function ownPlayer(role: ClientRole, mode: ViewMode): PlayerNumber | null {
  return mode === 'play' && role.kind === 'player' ? role.player : null;
}

export function roleLabel(role: ClientRole): string {
  return role.kind === 'player' ? `P${role.player}` : 'spectator';
}

/** Few digits where they matter: sub-millisecond loopback figures keep two decimals. */
export function formatMs(value: number | null, approximate = false): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs < 10 ? 2 : abs < 100 ? 1 : 0;
  return (approximate ? '~' : '') + value.toFixed(digits);
}

/** `me` is the player this view steers (null when watching): only they are told which key to press. */
export function statusText(state: StateMessage | null, me: PlayerNumber | null, nowMs: number): string {
  if (state === null) return 'Waiting for the game state…';
  const serving = state.servingPlayer;

  switch (state.status) {
    case 'ended': {
      const winner = state.winner ?? (state.p1Score === state.p2Score ? null : state.p1Score > state.p2Score ? 1 : 2);
      const tail = me !== null ? ' — r to restart' : '';
      if (winner === null) return `Game over${tail}`;
      const [won, lost] = winner === 1 ? [state.p1Score, state.p2Score] : [state.p2Score, state.p1Score];
      return `P${winner} wins ${won}–${lost}${state.forfeit ? ' by forfeit' : ''}${tail}`;
    }
    case 'paused':
      return pausedText(state, nowMs);
    case 'waiting': {
      const players = state.players;
      if (players && !players.p1 && !players.p2) return 'Waiting for players';
      const missing = players ? missingPlayer(state) : 2;
      if (missing !== null) return `Waiting for player ${missing}`;
      return serving !== null ? serveText(state, serving, me, nowMs) : 'Waiting to start';
    }
    case 'playing':
      return serving !== null ? serveText(state, serving, me, nowMs) : 'Playing';
  }
}

/** Who the game waits for, and how long they have before they forfeit. */
function pausedText(state: StateMessage, nowMs: number): string {
  const away = state.missing !== undefined && state.missing.length > 0 ? state.missing : [missingPlayer(state)];
  const who = away.filter((player): player is PlayerNumber => player !== null);
  if (who.length === 0) return 'Paused';
  const names = who.length === 2 ? 'P1 and P2' : `P${who[0]}`;
  const deadline = state.forfeitAt;
  const left = deadline !== undefined && deadline !== null ? ` — ${Math.max(0, Math.ceil((deadline - nowMs) / 1000))} s` : '';
  return `Waiting for ${names} to reconnect${left}`;
}

function missingPlayer(state: StateMessage): PlayerNumber | null {
  if (!state.players) return null;
  if (!state.players.p1) return 1;
  if (!state.players.p2) return 2;
  return null;
}

function serveText(state: StateMessage, serving: PlayerNumber, me: PlayerNumber | null, nowMs: number): string {
  let text = `P${serving} to serve`;
  if (me === serving) text += ' — space';
  const autoAt = state.autoServeAt;
  if (autoAt !== undefined && autoAt !== null && autoAt > nowMs) {
    text += ` · auto-serve in ${Math.ceil((autoAt - nowMs) / 1000)}s`;
  }
  return text;
}

const CONNECTION_WORDS: Record<ConnectionStatus, string> = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  disconnected: 'disconnected',
  closed: 'closed',
};

/** Game and role first: when the line is cut to the terminal's width, only the detail goes. */
export function connectionText(
  gameId: string,
  role: string,
  transport: TransportName,
  connection: ConnectionStatus,
  detail?: string,
): string {
  const base = `game ${gameId} · ${role} · ${transport} ${CONNECTION_WORDS[connection]}`;
  return detail && connection !== 'connected' ? `${base} (${detail})` : base;
}

/** What the latency panel's figures are, its first item. */
export function latencyHeading(latency: LatencySnapshot): string {
  return latency.unnumbered ? 'classic server:' : 'one-way ms';
}

/** The latency figures as separate items, so the panel can pack them into its width. */
export function latencyItems(latency: LatencySnapshot, server: PeerLatencyStats | null): string[] {
  if (latency.unnumbered) return classicItems(latency);
  // Without the server's clock offset a one-way figure is only rx − timestamp; jitter and loss
  // do not depend on the offset, so they are never marked.
  const approx = !latency.offsetKnown;
  const items = [
    `last ${formatMs(latency.last, approx)}`,
    `p50 ${formatMs(latency.p50, approx)}`,
    `p95 ${formatMs(latency.p95, approx)}`,
    `p99 ${formatMs(latency.p99, approx)}`,
    `jitter ${formatMs(latency.jitter)}`,
    `lost ${latency.framesLost}`,
  ];
  if (server !== null) {
    items.push(`server rtt p50 ${formatMs(server.rtt.p50)} p99 ${formatMs(server.rtt.p99)}`);
  }
  return items;
}

/**
 * Against a classic server, which reads no acks, sends no stats and numbers no frames: what
 * cannot be measured, said first, then what can (on this client's clock alone). A one-way
 * figure is only receive time − send time, right only where the two clocks agree.
 */
function classicItems(latency: LatencySnapshot): string[] {
  const { interval } = latency;
  return [
    'no acks: no round trip',
    'no seq: loss unknown',
    `frame interval ms p50 ${formatMs(interval.p50)} p99 ${formatMs(interval.p99)} max ${formatMs(interval.max)}`,
    `jitter ${formatMs(latency.jitter)}`,
    `gaps ${interval.gaps}`,
    `one-way ${formatMs(latency.p50, true)} if clocks agree`,
  ];
}

/**
 * Greedy packing of items into at most `lines` lines of `width` characters; what does not fit
 * is left out rather than wrapped, because the view's height is fixed by the layout.
 */
export function packItems(items: readonly string[], width: number, lines: number, separator = '  '): string[] {
  const out: string[] = [];
  let current = '';
  for (const item of items) {
    const candidate = current === '' ? item : current + separator + item;
    if (candidate.length <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') out.push(current);
    if (out.length === lines) return out;
    current = item.slice(0, width);
  }
  if (current !== '' && out.length < lines) out.push(current);
  return out;
}
