/**
 * The classic demo's browser page plays pong serve: mqtt.js over WebSocket (as
 * test/helpers/classic-client.ts stands in for its game logic), with a username and password
 * the embedded broker does not need, subscribed to the game's `#`, as player 2 against a pong
 * bot. Once at /mqtt on the HTTP port (mqtt.js's default path), once at / on --mqtt-ws-port
 * (where the page connects, ws://host:9001). mosquitto_sub and pong watch see the game. And
 * through a real Mosquitto configured as the README says (a websockets listener beside a plain
 * one), behind pong serve --broker.
 */
import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { ClassicClient } from '../helpers/classic-client.js';
import { killAll, PONG_BIN, runPong, startPongServe } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { mosquittoAvailable, startMosquitto } from '../helpers/mosquitto.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

const POINTS = 2;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await killAll();
});

it('an mqtt.js page over WebSocket plays p2 against a bot, on both paths; mosquitto_sub and pong watch see it', async () => {
  const server = await startPongServe(['--game', 'page-http', '--game', 'page-port', '--points', String(POINTS), '--mqtt-ws-port', '0', '--state-file', 'none']);
  const output = server.proc.output();
  const onHttpPort = output.match(/over WebSocket at (ws:\/\/\S+) \(the HTTP port\)/)?.[1];
  const onOwnPort = output.match(/over WebSocket at (ws:\/\/\S+) \(and at \/\), a port of its own/)?.[1];
  expect(onHttpPort).toMatch(/\/mqtt$/);
  expect(onOwnPort).toMatch(/\/mqtt$/);
  const games = [
    { id: 'page-http', url: onHttpPort! },
    { id: 'page-port', url: onOwnPort!.replace(/\/mqtt$/, '/') },
  ];

  // Spectators of the first game, over TCP: mosquitto_sub, and pong watch in a terminal.
  const broker = new URL(server.mqttUrl!);
  let subText = '';
  if (requireBinary('mosquitto_sub')) {
    const sub = spawn('mosquitto_sub', ['-h', broker.hostname, '-p', broker.port, '-t', 'pong/game/page-http/#', '-v']);
    sub.stdout.on('data', (chunk: Buffer) => (subText += chunk.toString('utf8')));
    cleanups.push(() => sub.kill());
  }
  let watch: TmuxSession | null = null;
  if (requireBinary('tmux')) {
    watch = new TmuxSession(`node ${PONG_BIN} watch --game page-http --broker ${server.mqttUrl}`, { width: 100, height: 40 });
    cleanups.push(() => watch?.kill());
  }

  const pages = await Promise.all(
    games.map(async ({ id, url }) => {
      const page = await ClassicClient.connect(url, id, 2, { username: 'raptor', password: 'a password nobody checks' });
      cleanups.push(() => page.close());
      runPong(['bot', '--player', '1', '--game', id, '--broker', server.mqttUrl!, '--skill', '0.3']);
      return page;
    }),
  );
  await waitFor(() => pages.every((page) => page.state?.status === 'ended'), 'both games to end', 150_000);
  for (const page of pages) {
    expect(Math.max(page.state!.p1Score, page.state!.p2Score)).toBe(POINTS);
    expect(page.frames).toBeGreaterThan(300);
    expect(page.opponentPaddles).toBeGreaterThan(0);
    expect(page.notPaddles).toEqual([]);
  }

  const { p1Score, p2Score } = pages[0]!.state!;
  if (subText !== '') {
    // The page's paddle, relayed from its WebSocket to a TCP subscriber, and the game's end,
    // which reaches mosquitto_sub through its own socket and pipe, a moment after the page.
    const ended = new RegExp(`^pong/game/page-http/state \\{"status":"ended","p1Score":${p1Score},"p2Score":${p2Score}`, 'm');
    await waitFor(() => ended.test(subText), 'mosquitto_sub to print the end', 10_000).catch(() => undefined);
    expect(subText).toMatch(/^pong\/game\/page-http\/p2\/paddle \{"y":/m);
    expect(subText).toMatch(/^pong\/game\/page-http\/ball \{/m);
    expect(subText).toMatch(ended);
  }
  if (watch !== null) {
    const [won, lost] = p1Score > p2Score ? [p1Score, p2Score] : [p2Score, p1Score];
    const screen = await watch.waitForScreen((text) => /P\d wins \d–\d/.test(text), 10_000);
    expect(screen).toMatch(new RegExp(`P${p1Score > p2Score ? 1 : 2} wins ${won}–${lost}`));
  }
}, 200_000);

it('plays through Mosquitto\'s websockets listener too, configured as the README says, behind pong serve --broker', async (context) => {
  if (!mosquittoAvailable()) return context.skip();
  const wsPort = await freePort('127.0.0.1');
  // Debian's Mosquitto 2.0.11 refuses a configuration with only a websockets listener: the
  // plain listener (the helper's) stays beside it.
  const mosquitto = await startMosquitto(async () => [`listener ${wsPort}`, 'protocol websockets']);
  cleanups.push(() => mosquitto.teardown());
  const game = 'page-mosquitto';
  await startPongServe(['--broker', mosquitto.url, '--game', game, '--points', String(POINTS), '--state-file', 'none']);
  const page = await ClassicClient.connect(`ws://127.0.0.1:${wsPort}`, game, 2, { username: 'raptor', password: 'a password nobody checks' });
  cleanups.push(() => page.close());
  runPong(['bot', '--player', '1', '--game', game, '--broker', mosquitto.url, '--skill', '0.3']);
  await waitFor(() => page.state?.status === 'ended', 'the game to end', 150_000);
  expect(Math.max(page.state!.p1Score, page.state!.p2Score)).toBe(POINTS);
  expect(page.frames).toBeGreaterThan(300);
  expect(page.notPaddles).toEqual([]);
}, 200_000);
