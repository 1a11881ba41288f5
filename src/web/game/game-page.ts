/**
 * Play or watch one game over one transport: the terminal client's session (seat, token,
 * re-join, acks, latency) and smoothing (interpolation, extrapolation, own-paddle prediction),
 * drawn on a canvas at the display's refresh rate, with the latency panel, keys and touch.
 */
import { GameSession } from '../../client/session.js';
import type { ClientRole } from '../../client/view-state.js';
import { SmoothedSource } from '../../client/smoothing/smoothed-source.js';
import type { Timers } from '../../client/smoothing/frame-clock.js';
import type { PlayerNumber, SeatMessage } from '../../protocol/messages.js';
import type { TransportName } from '../../transports/transport.js';
import { MatchStats } from '../../ui/match-stats.js';
import { countdownLines, resultLines } from '../../ui/overlays.js';
import { connectionText, statusText } from '../../ui/text.js';
import { h, notice, setText } from '../dom.js';
import { forgetSeat, loadSeat, newClientId, saveSeat } from '../identity.js';
import { compareLink, lobbyLink, playLink, watchLink } from '../links.js';
import { notServedReason, TRANSPORT_LABELS, type ServerInfo } from '../server-info.js';
import { createBrowserClient } from '../transports/browser-transports.js';
import { attachControls } from './controls.js';
import { coloursFrom, CourtCanvas } from './court-canvas.js';
import { FrameMeter } from './frame-meter.js';
import { LatencyPanel } from './latency-panel.js';
import { ConnectedClient, gameExists } from './probe.js';

export interface GamePageOptions {
  root: HTMLElement;
  info: ServerInfo;
  serverUrl: string;
  game: string;
  transport: TransportName;
  /** null: watch. */
  player: PlayerNumber | null;
  /** Open the game if the server does not have it. */
  create: boolean;
  /** Back to the lobby, with a message for it. */
  toLobby: (message: string) => void;
}

/** Display frames on the browser's own refresh: the FrameClock's timer is the next animation frame. */
const animationFrames: Timers = {
  setTimeout: (callback) => requestAnimationFrame(() => callback()),
  clearTimeout: (handle) => cancelAnimationFrame(handle as number),
};

const FLASH_MS = 400;
const OVERLAY_REFRESH_MS = 250;

export async function startGamePage(options: GamePageOptions): Promise<void> {
  const { root, info, game, transport, player } = options;
  const notServed = notServedReason(info, transport);
  if (notServed !== null) {
    root.replaceChildren(header(game, player, transport), notice('error', notServed, h('a', { class: 'button', href: lobbyLink(null) }, 'Back to the lobby')));
    return;
  }

  const seat = player !== null ? loadSeat(game, player) : null;
  const clientId = seat?.clientId ?? newClientId('web-watch');
  const client = createBrowserClient(transport, clientId, options.serverUrl, info);
  const notices = h('div', { class: 'notices' });
  root.replaceChildren(header(game, player, transport), notices, h('p', { class: 'status muted' }, `Connecting over ${TRANSPORT_LABELS[transport]}…`));

  // A seat token given as the connection's proof lets this page take back its own id at once.
  if (seat?.token) client.setSeatToken(seat.token);
  let exists: boolean;
  try {
    exists = await gameExists(client, game);
  } catch (error) {
    notices.replaceChildren(
      notice('error', `Cannot connect over ${TRANSPORT_LABELS[transport]}: ${error instanceof Error ? error.message : String(error)}`, h('a', { class: 'button', href: location.href }, 'Try again'), ' ', h('a', { class: 'button', href: lobbyLink(null) }, 'Lobby')),
    );
    return;
  }
  if (!exists && !(options.create && player !== null)) {
    await client.close();
    options.toLobby(`There is no game “${game}” on this server.${player !== null ? ' Open it as a new game below, or pick one from the list.' : ' Pick one from the list.'}`);
    return;
  }

  const role: ClientRole = player !== null ? { kind: 'player', player } : { kind: 'spectator' };
  const session = new GameSession({ gameId: game, role, transport: new ConnectedClient(client), clientId, name: 'browser' });
  if (seat?.token && player !== null) session.useToken(seat.token);
  const source = new SmoothedSource(session, session, { timers: animationFrames });

  const canvas = h('canvas', { class: 'court', 'data-court': '', 'aria-label': `the court of game ${game}`, role: 'img' });
  const statusLine = h('p', { class: 'status', 'data-status': '' });
  const panel = new LatencyPanel(source);
  const keys = h(
    'p',
    { class: 'keys muted' },
    ...(player !== null
      ? [h('span', { class: 'keyboard-help' }, '↑ ↓ or w s: move (hold to glide) · space: serve · r: play again · '), 'touch: drag the paddle, tap to serve or play again']
      : ['watching: nothing to press']),
  );
  root.replaceChildren(header(game, player, transport), notices, h('div', { class: 'court-wrap' }, canvas), statusLine, panel.element, keys);

  const court = new CourtCanvas(canvas, coloursFrom(document.documentElement));
  const meter = new URLSearchParams(location.search).has('fps') ? new FrameMeter() : null;
  if (meter !== null) {
    window.pongFrameMeter = meter;
    keys.after(meter.element);
  }
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  const stats = new MatchStats();
  let flashUntil = 0;
  let lastScore = -1;

  const overlayLines = (now: number): string[] | null => {
    const view = source.getState();
    const state = view.state;
    const result = resultLines(state, player, stats.summary, view.latency);
    // The terminal's last line names its keys; the page's are these.
    if (result !== null) return [...result.slice(0, -1), player !== null ? 'r or tap to play again' : 'waiting for the players to play again'];
    if (state === null) return ['Waiting for the game state…'];
    if (state.status === 'paused' || state.status === 'waiting') return [statusText(state, player, now)];
    return countdownLines(state, player, now);
  };

  const drawFrame = (): void => {
    court.fit();
    const view = source.getState();
    const now = Date.now();
    stats.observe(view.ball, view.state);
    const score = (view.state?.p1Score ?? 0) + (view.state?.p2Score ?? 0);
    if (lastScore >= 0 && score > lastScore && !reducedMotion.matches) flashUntil = now + FLASH_MS;
    const text = `${view.state?.p1Score ?? 0}-${view.state?.p2Score ?? 0}`;
    if (canvas.dataset['score'] !== text) {
      // The score is drawn, not written: a screen reader (and a test) reads it here.
      canvas.dataset['score'] = text;
      canvas.setAttribute('aria-label', `game ${game}, score ${text.replace('-', ' to ')}`);
    }
    lastScore = score;
    court.draw({ view, me: player, overlay: overlayLines(now), flash: now < flashUntil });
    setText(statusLine, `${connectionText(game, player !== null ? `P${player}` : 'spectator', transport, view.connection, view.connectionDetail)} · ${statusText(view.state, player, now)}`);
  };
  let drawnAt = -Infinity;
  const draw = (): void => {
    drawnAt = performance.now();
    if (meter === null) drawFrame();
    else meter.measure(drawFrame);
  };
  const unsubscribeDraw = source.subscribe(draw);
  // Countdowns and pauses change by the second with no message to say so; while the ball
  // moves, the display frames draw them anyway.
  const overlayTimer = setInterval(() => {
    if (performance.now() - drawnAt >= OVERLAY_REFRESH_MS) draw();
  }, OVERLAY_REFRESH_MS);
  const resize = new ResizeObserver(() => {
    if (court.fit()) draw();
  });
  resize.observe(canvas);

  session.onSeat((answer: SeatMessage) => {
    if (player === null) return;
    if (answer.granted) {
      if (answer.token !== undefined) saveSeat(game, player, { clientId, token: answer.token });
      notices.replaceChildren();
      return;
    }
    forgetSeat(game, player);
    // Not ours: stop acking and steering a seat whose messages the server only refuses (and
    // counts); the court stays as it was, under the notice.
    detachControls?.();
    detachControls = null;
    source.stop();
    void session.close();
    const reason = answer.reason ?? 'refused';
    const text = reason === 'seat taken' ? `Seat ${player} of game “${game}” is taken.` : reason === 'taken over' ? 'Your seat was taken over by a newer connection (another tab or device with your token).' : `The server refused seat ${player}: ${reason}.`;
    notices.replaceChildren(
      notice('error', text, h('a', { class: 'button', href: watchLink(game, transport), 'data-watch-instead': '' }, 'Watch instead'), ' ', h('a', { class: 'button', href: playLink(game, player === 1 ? 2 : 1, transport) }, `Try seat ${player === 1 ? 2 : 1}`), ' ', h('a', { class: 'button', href: lobbyLink(transport) }, 'Lobby')),
    );
  });
  session.onConnection((status, detail) => {
    if (status === 'closed' && detail === 'taken-over') {
      notices.replaceChildren(notice('error', 'This page was disconnected: a newer connection took this seat over (another tab?).', h('a', { class: 'button', href: lobbyLink(transport) }, 'Lobby')));
    }
  });

  let detachControls: (() => void) | null = null;
  if (player !== null) {
    detachControls = attachControls({
      player,
      source,
      controls: source,
      frames: source,
      canvas,
      courtY: (y) => court.courtY(y),
      onTap: () => (source.getState().state?.status === 'ended' ? source.restart() : source.serve()),
    });
  }

  window.addEventListener('pagehide', () => {
    detachControls?.();
    clearInterval(overlayTimer);
    unsubscribeDraw();
    resize.disconnect();
    panel.stop();
    source.stop();
    void session.close();
  });

  source.start();
  try {
    await session.start();
  } catch (error) {
    notices.replaceChildren(notice('error', `Cannot start the game: ${error instanceof Error ? error.message : String(error)}`));
  }
  draw();
}

function header(game: string, player: PlayerNumber | null, transport: TransportName): HTMLElement {
  return h(
    'header',
    { class: 'bar' },
    h('h1', {}, h('a', { href: lobbyLink(transport), title: 'the lobby' }, 'pong')),
    h('span', { class: 'grow muted' }, `game ${game} · ${player !== null ? `seat ${player}` : 'watching'} · ${TRANSPORT_LABELS[transport]}`),
    h('a', { class: 'button', href: compareLink(game) }, 'Compare transports'),
    h('a', { class: 'button', href: lobbyLink(transport) }, 'Lobby'),
  );
}
