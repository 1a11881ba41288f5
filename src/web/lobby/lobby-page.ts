/**
 * The lobby: every game the server has, from their retained state over the chosen transport,
 * who sits where, and what you can do: take a free seat, watch, compare, or open a new game.
 */
import { topics } from '../../protocol/topics.js';
import type { TransportClient, TransportName } from '../../transports/transport.js';
import { isValidGameId } from '../../protocol/topics.js';
import { h, notice, setText } from '../dom.js';
import { newClientId } from '../identity.js';
import { compareLink, lobbyLink, playLink, watchLink } from '../links.js';
import { notServedReason, serves, TRANSPORT_LABELS, TRANSPORT_NAMES, type ServerInfo } from '../server-info.js';
import { createBrowserClient } from '../transports/browser-transports.js';
import { GamesList, type GameRow } from './games-list.js';

export interface LobbyOptions {
  root: HTMLElement;
  info: ServerInfo;
  serverUrl: string;
  transport: TransportName;
  message: string | null;
  /** A game id to offer in the new-game form (a link to a game the server does not have). */
  newGame?: string;
}

const ALL_STATES = topics.state('+');

export async function startLobby(options: LobbyOptions): Promise<void> {
  const { root, info } = options;
  let transport = options.transport;
  const games = new GamesList();
  const status = h('p', { class: 'status muted', 'data-lobby-status': '' });
  const body = h('tbody');
  const table = h(
    'table',
    { 'data-games': '' },
    h('thead', {}, h('tr', {}, h('th', {}, 'game'), h('th', {}, 'status'), h('th', { class: 'num' }, 'score'), h('th', {}, 'seat 1'), h('th', {}, 'seat 2'), h('th', {}, ''))),
    body,
  );
  const empty = h('p', { class: 'muted' }, 'No games yet: open one below.');

  const picker = h('fieldset', { 'data-transports': '' }, h('legend', {}, 'Transport'));
  for (const name of TRANSPORT_NAMES) {
    const why = notServedReason(info, name);
    const input = h('input', { type: 'radio', name: 'transport', value: name, checked: name === transport, disabled: why !== null });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      transport = name;
      history.replaceState(null, '', lobbyLink(transport));
      void connect();
    });
    picker.append(h('label', { title: why ?? TRANSPORT_LABELS[name] }, input, ` ${TRANSPORT_LABELS[name]}`));
  }
  const unserved = TRANSPORT_NAMES.map((name) => notServedReason(info, name)).filter((why): why is string => why !== null);
  if (unserved.length > 0) picker.append(h('span', { class: 'why muted' }, unserved[0]!));

  const gameInput = h('input', { type: 'text', name: 'game', required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', maxlength: '64', placeholder: 'game id, e.g. room-12', 'aria-label': 'new game id' });
  if (options.newGame !== undefined) gameInput.value = options.newGame;
  const seatSelect = h('select', { 'aria-label': 'your seat' }, h('option', { value: '1' }, 'as player 1'), h('option', { value: '2' }, 'as player 2'));
  const form = h('form', { class: 'bar', 'data-new-game': '' }, gameInput, seatSelect, h('button', { type: 'submit' }, 'Open a new game'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const game = gameInput.value.trim();
    if (!isValidGameId(game)) return;
    location.assign(playLink(game, seatSelect.value === '2' ? 2 : 1, transport, !games.has(game)));
  });

  root.replaceChildren(
    h('header', { class: 'bar' }, h('h1', {}, 'pong'), h('span', { class: 'grow muted' }, 'play, watch and compare in the browser')),
    options.message !== null ? notice('info', options.message) : '',
    picker,
    h('h2', {}, 'Games'),
    status,
    table,
    empty,
    h('h2', {}, 'New game'),
    form,
  );

  const render = (): void => {
    const rows = games.rows();
    body.replaceChildren(...rows.map((row) => gameRow(row, transport)));
    table.hidden = rows.length === 0;
    empty.hidden = rows.length > 0;
  };
  render();

  let client: TransportClient | null = null;
  const connect = async (): Promise<void> => {
    const previous = client;
    client = null;
    await previous?.close();
    if (!serves(info, transport)) return setText(status, notServedReason(info, transport) ?? '');
    const next = createBrowserClient(transport, newClientId('web-lobby'), options.serverUrl, info);
    client = next;
    next.onMessage((topic, payload) => {
      if (games.receive(topic, payload)) render();
    });
    next.onStatus((state, detail) => setText(status, `over ${TRANSPORT_LABELS[transport]}: ${state}${detail ? ` (${detail})` : ''}`));
    next.subscribe(ALL_STATES);
    setText(status, `connecting over ${TRANSPORT_LABELS[transport]}…`);
    try {
      await next.connect();
      setText(status, `over ${TRANSPORT_LABELS[transport]}: connected`);
    } catch (error) {
      setText(status, `cannot connect over ${TRANSPORT_LABELS[transport]}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  window.addEventListener('pagehide', () => void client?.close());
  await connect();
}

function gameRow(row: GameRow, transport: TransportName): HTMLElement {
  const seat = (player: 1 | 2): HTMLElement => {
    const taken = player === 1 ? row.seats.p1 : row.seats.p2;
    return h('td', { class: `p${player}` }, taken ? 'taken' : h('a', { class: 'button', href: playLink(row.game, player, transport), 'data-play': String(player) }, `Play P${player}`));
  };
  return h(
    'tr',
    { 'data-game': row.game },
    h('td', {}, row.game),
    h('td', {}, row.status),
    h('td', { class: 'num' }, row.score),
    seat(1),
    seat(2),
    h('td', {}, h('a', { class: 'button', href: watchLink(row.game, transport) }, 'Watch'), ' ', h('a', { class: 'button', href: compareLink(row.game) }, 'Compare')),
  );
}
