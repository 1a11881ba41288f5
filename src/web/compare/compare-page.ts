/**
 * The same game over every transport at once, side by side, like `pong compare`: the compare
 * engine itself (src/compare/comparison.ts) with one observer per transport, each over the
 * browser's own client for it. The window opens once every observer's clock offset is known;
 * its figures are over the frames every observer received. Bytes per frame are what the page
 * can see: the messages each transport's browser API carried (its WebSocket's messages, the
 * Engine.IO packets, the data-channel messages), headers below that API not included.
 */
import { Comparison } from '../../compare/comparison.js';
import type { TransportFigures } from '../../compare/snapshot.js';
import type { TransportName } from '../../transports/transport.js';
import { sparkline } from '../../ui/sparkline.js';
import { formatMs } from '../../ui/text.js';
import { h, notice, setText } from '../dom.js';
import { lobbyLink, watchLink } from '../links.js';
import { notServedReason, serves, TRANSPORT_LABELS, TRANSPORT_NAMES, type ServerInfo } from '../server-info.js';
import { createBrowserClient } from '../transports/browser-transports.js';
import { gameExists } from '../game/probe.js';
import { CourtCanvas, coloursFrom } from '../game/court-canvas.js';
import { SmoothedSource } from '../../client/smoothing/smoothed-source.js';
import { liveTimeline, TIMELINE_KEEP_FRAMES } from './live-timeline.js';

export interface ComparePageOptions {
  root: HTMLElement;
  info: ServerInfo;
  serverUrl: string;
  game: string;
  toLobby: (message: string) => void;
}

/** How long the page waits for every observer's clock offset before measuring regardless. */
const READY_WAIT_MS = 8_000;
const SPARK_CELLS = 20;

export async function startComparePage(options: ComparePageOptions): Promise<void> {
  const { root, info, game } = options;
  const served = TRANSPORT_NAMES.filter((name) => serves(info, name));
  const head = h(
    'header',
    { class: 'bar' },
    h('h1', {}, h('a', { href: lobbyLink(null) }, 'pong')),
    h('span', { class: 'grow muted' }, `compare · game ${game}`),
    h('a', { class: 'button', href: lobbyLink(null) }, 'Lobby'),
  );
  if (served.length === 0) {
    root.replaceChildren(head, notice('error', 'This server serves no transport the page can use: start it with pong serve --transport all.'));
    return;
  }
  root.replaceChildren(head, h('p', { class: 'status muted' }, 'Looking for the game…'));
  const probe = createBrowserClient(served[0]!, `web-probe-${Math.random().toString(36).slice(2, 8)}`, options.serverUrl, info);
  let exists = false;
  try {
    exists = await gameExists(probe, game);
  } catch {
    exists = false;
  }
  await probe.close();
  if (!exists) return options.toLobby(`There is no game “${game}” on this server to compare: pick one from the list.`);

  const comparison = new Comparison({
    gameId: game,
    transports: served,
    createClient: (name: TransportName, clientId: string) => createBrowserClient(name, clientId, options.serverUrl, info),
    timeline: { keepFrames: TIMELINE_KEEP_FRAMES },
  });
  const windowLine = h('p', { class: 'status', 'data-window': '' }, 'waiting for every transport’s clock offset…');
  const body = h('tbody');
  const rows = new Map<TransportName, HTMLTableRowElement>();
  for (const name of served) {
    const row = h('tr', { 'data-transport': name });
    rows.set(name, row);
    body.append(row);
  }
  for (const name of TRANSPORT_NAMES.filter((other) => !served.includes(other))) {
    body.append(h('tr', { 'data-transport': name, 'data-not-served': '' }, h('td', {}, TRANSPORT_LABELS[name]), h('td', { colspan: '10', class: 'muted' }, notServedReason(info, name) ?? '')));
  }
  const table = h(
    'table',
    { class: 'compare', 'data-compare': '' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['transport', 'status', 'frames', 'lost', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'jitter ms', 'bytes/frame', 'rtt p50/p99 ms'].map((title, i) =>
          h('th', { class: i >= 2 ? 'num' : '' }, title),
        ),
        h('th', { class: 'optional' }, 'recent'),
      ),
    ),
    body,
  );
  const canvas = h('canvas', { class: 'court', 'data-court': '' });
  const timeline = liveTimeline(comparison, served);
  root.replaceChildren(
    head,
    windowLine,
    h('div', { class: 'table-scroll' }, table),
    h('p', { class: 'muted' }, 'bytes/frame: what each transport’s browser API carried per ball frame (every topic’s messages, the transport’s own framing), headers below that API not included'),
    timeline.element,
    h('div', { class: 'compare-court' }, canvas, h('p', { class: 'muted' }, `the court as the ${TRANSPORT_LABELS[served[0]!]} observer sees it · `, h('a', { href: watchLink(game, served[0]!) }, 'watch this game'))),
  );

  const render = (): void => {
    const snapshot = comparison.snapshot();
    setText(
      windowLine,
      snapshot.measuring && snapshot.seqFrom !== null
        ? `same frames: ${snapshot.sameFrames} of seq ${snapshot.seqFrom}–${snapshot.seqTo ?? snapshot.seqFrom} (one-way figures over the frames every transport received)`
        : 'waiting for every transport’s clock offset…',
    );
    for (const figures of snapshot.transports) rows.get(figures.name)?.replaceChildren(...cells(figures));
  };
  comparison.subscribe(render);

  // The first observer's view of the court, smoothed as a player's would be.
  const first = comparison.observers[0]!;
  const court = new CourtCanvas(canvas, coloursFrom(document.documentElement));
  const source = new SmoothedSource(first.session, first.session, {
    timers: { setTimeout: (callback) => requestAnimationFrame(() => callback()), clearTimeout: (handle) => cancelAnimationFrame(handle as number) },
  });
  source.subscribe(() => {
    court.fit();
    court.draw({ view: source.getState(), me: null, overlay: null, flash: false });
  });
  source.start();
  window.addEventListener('pagehide', () => {
    source.stop();
    timeline.stop();
    void comparison.close();
  });

  const failed = await comparison.start();
  for (const { name, error } of failed) rows.get(name)?.setAttribute('title', error instanceof Error ? error.message : String(error));
  await comparison.whenReady(READY_WAIT_MS);
  comparison.measure();
}

function cells(f: TransportFigures): HTMLElement[] {
  const approx = !f.offsetKnown;
  const ms = (value: number | null): string => formatMs(value, approx);
  const recent = f.recent.filter((v) => Number.isFinite(v));
  return [
    h('td', {}, f.name),
    h('td', { title: f.detail ?? '' }, f.status),
    h('td', { class: 'num', 'data-frames': String(f.frames) }, String(f.frames)),
    h('td', { class: 'num' }, String(f.framesLost)),
    h('td', { class: 'num' }, ms(f.oneWay.p50)),
    h('td', { class: 'num' }, ms(f.oneWay.p95)),
    h('td', { class: 'num' }, ms(f.oneWay.p99)),
    h('td', { class: 'num' }, ms(f.oneWay.max)),
    h('td', { class: 'num' }, formatMs(f.jitter)),
    h('td', { class: 'num' }, f.bytesPerFrame === null ? '–' : f.bytesPerFrame.toFixed(1)),
    h('td', { class: 'num' }, f.rtt === null ? '–' : `${formatMs(f.rtt.p50)} / ${formatMs(f.rtt.p99)}`),
    h('td', { class: 'spark optional' }, recent.length > 0 ? sparkline(recent, SPARK_CELLS) : ''),
  ];
}
