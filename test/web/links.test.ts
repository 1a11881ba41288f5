import { describe, expect, it } from 'vitest';
import { compareLink, parseRoute, playLink, watchLink } from '../../src/web/links.js';
import { defaultTransport, notServedReason } from '../../src/web/server-info.js';
import { GamesList } from '../../src/web/lobby/games-list.js';

describe('the page’s addresses', () => {
  it('reads the direct links a teacher writes on the board', () => {
    expect(parseRoute('/', '?game=demo&player=2&transport=webrtc')).toEqual({ page: 'play', game: 'demo', player: 2, transport: 'webrtc', create: false });
    expect(parseRoute('/', '?game=demo&watch&transport=mqtt')).toEqual({ page: 'watch', game: 'demo', transport: 'mqtt' });
    expect(parseRoute('/compare', '?game=demo')).toEqual({ page: 'compare', game: 'demo' });
    expect(parseRoute('/', '')).toEqual({ page: 'lobby', transport: null, message: null });
    expect(parseRoute('/', '?game=room-12&player=1&new')).toEqual({ page: 'play', game: 'room-12', player: 1, transport: null, create: true });
  });

  it('writes links it reads back', () => {
    expect(parseRoute('/', playLink('a_b', 1, 'ws', true).slice(1))).toEqual({ page: 'play', game: 'a_b', player: 1, transport: 'ws', create: true });
    expect(parseRoute('/', watchLink('demo', 'socketio').slice(1))).toEqual({ page: 'watch', game: 'demo', transport: 'socketio' });
    expect(compareLink('demo')).toBe('/compare?game=demo');
  });

  it('sends bad input to the lobby with a sentence that says what was wrong', () => {
    const bad = (search: string) => {
      const route = parseRoute('/', search);
      return route.page === 'lobby' ? route.message : `not the lobby: ${route.page}`;
    };
    expect(bad('?game=demo&player=3')).toMatch(/no seat “3”/);
    expect(bad('?game=no%20spaces&player=1')).toMatch(/is not a game id/);
    expect(bad('?game=demo&transport=carrier-pigeon')).toMatch(/Unknown transport “carrier-pigeon”/);
    expect(parseRoute('/nowhere', '')).toMatchObject({ page: 'lobby', message: 'No page at /nowhere.' });
  });
});

describe('what the server serves', () => {
  const mqttOnly = { transports: ['mqtt' as const], mqttWebSocketPath: '/mqtt' };
  it('names the flag that opens a transport the server does not serve', () => {
    expect(notServedReason(mqttOnly, 'webrtc')).toBe(
      'This server does not serve WebRTC data channels: start it with pong serve --transport mqtt,webrtc (or --transport all).',
    );
    expect(notServedReason(mqttOnly, 'mqtt')).toBeNull();
    expect(notServedReason({ transports: ['mqtt'], mqttWebSocketPath: null }, 'mqtt')).toMatch(/external broker/);
    expect(defaultTransport(mqttOnly)).toBe('mqtt');
    expect(defaultTransport({ transports: ['mqtt', 'webrtc', 'ws'], mqttWebSocketPath: '/mqtt' })).toBe('ws');
  });
});

describe('the lobby’s games', () => {
  const state = (rev: number, p2: boolean) =>
    JSON.stringify({ status: p2 ? 'playing' : 'waiting', p1Score: 3, p2Score: 1, servingPlayer: null, timestamp: 1763774400100.5, winner: null, players: { p1: true, p2 }, rev });
  it('lists games from their retained state, newest revision first, and drops closed rooms', () => {
    const games = new GamesList();
    expect(games.receive('pong/game/b/state', state(2, false))).toBe(true);
    expect(games.receive('pong/game/a/state', state(5, true))).toBe(true);
    expect(games.receive('pong/game/a/state', state(4, false))).toBe(false);
    expect(games.receive('pong/game/a/state', 'not json')).toBe(false);
    expect(games.receive('pong/game/a/ball', state(6, false))).toBe(false);
    expect(games.rows()).toEqual([
      { game: 'a', status: 'playing', score: '3–1', seats: { p1: true, p2: true } },
      { game: 'b', status: 'waiting', score: '3–1', seats: { p1: true, p2: false } },
    ]);
    expect(games.receive('pong/game/b/state', '')).toBe(true);
    expect(games.rows().map((row) => row.game)).toEqual(['a']);
  });
});
