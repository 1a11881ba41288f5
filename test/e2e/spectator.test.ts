/**
 * A spectator with nothing but the real `mosquitto_sub` sees the game: every ball frame, each
 * valid JSON with `seq` increasing by one, the retained state and the players' paddles. How
 * many frames a second arrive is the benchmarks' to say (pong bench), not a test's.
 */
import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { requireBinary } from '../helpers/binaries.js';
import { waitFor } from '../helpers/wait.js';

afterEach(killAll);

it('mosquitto_sub on pong/game/<id>/# receives every ball frame, valid, with seq increasing by one', async (context) => {
  if (!requireBinary('mosquitto_sub')) return context.skip();
  const gameId = 'spectated';
  const server = await startPongServe(['--transport', 'mqtt', '--game', gameId]);
  const broker = new URL(server.mqttUrl!);
  runPong(['bot', '--player', '1', '--game', gameId, '--broker', server.mqttUrl!, '--forever']);
  runPong(['bot', '--player', '2', '--game', gameId, '--broker', server.mqttUrl!, '--forever']);

  const sub = spawn('mosquitto_sub', ['-h', broker.hostname, '-p', broker.port, '-t', `pong/game/${gameId}/#`, '-v']);
  const paddleLine = new RegExp(`^pong/game/${gameId}/p[12]/paddle \\{`, 'm');
  let text = '';
  let moved = false;
  let frameLines = 0;
  let counted = 0;
  const ballLine = new RegExp(`^pong/game/${gameId}/ball `, 'gm');
  sub.stdout.on('data', (chunk: Buffer) => {
    // Only what arrived since the last look, from the start of the line it may have cut.
    const from = text.lastIndexOf('\n') + 1;
    text += chunk.toString('utf8');
    moved ||= paddleLine.test(text.slice(from));
    // Whole lines only, each counted once.
    const upTo = text.lastIndexOf('\n') + 1;
    frameLines += text.slice(counted, upTo).match(ballLine)?.length ?? 0;
    counted = Math.max(counted, upTo);
  });
  // Until a player has moved and a second of frames has come: the bots' processes may take a
  // few seconds to start on a busy machine, and the room ticks from the first join.
  await waitFor(() => moved && frameLines > 60, 'a paddle message and a second of frames on mosquitto_sub', 30_000);
  sub.kill();

  const lines = text.split('\n').filter(Boolean);
  const ballLines = lines.filter((line) => line.startsWith(`pong/game/${gameId}/ball `));
  const frames = ballLines.map((line) => JSON.parse(line.slice(line.indexOf(' ') + 1)) as { seq: number; timestamp: number; x: number; y: number });
  // Every ball payload is an object with the contract's fields.
  for (const frame of frames) {
    expect(typeof frame.x).toBe('number');
    expect(typeof frame.y).toBe('number');
    expect(Number.isInteger(frame.seq)).toBe(true);
  }
  for (let i = 1; i < frames.length; i++) expect(frames[i]!.seq).toBeGreaterThan(frames[i - 1]!.seq);

  // None missing: from the first to the last, every seq is there.
  expect(frames.length).toBeGreaterThan(60);
  const first = frames[0]!;
  const last = frames[frames.length - 1]!;
  expect(last.seq - first.seq + 1).toBe(frames.length);

  // The retained state and the players' paddles are there too, readable as JSON.
  expect(lines.some((line) => line.startsWith(`pong/game/${gameId}/state {`))).toBe(true);
  expect(lines.some((line) => paddleLine.test(line))).toBe(true);
}, 60_000);
