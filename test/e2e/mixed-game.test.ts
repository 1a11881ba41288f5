/**
 * One game, three transports: player 1 on WebRTC, player 2 on Socket.io, and a spectator with
 * the real mosquitto_sub on the MQTT side, played to a winner through `pong serve -t all`.
 */
import { spawn } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';
import { requireBinary } from '../helpers/binaries.js';

afterAll(killAll);

it('p1 on webrtc and p2 on socketio play to a winner while mosquitto_sub watches every message', async (context) => {
  if (!requireBinary('mosquitto_sub')) return context.skip();
  const gameId = 'mixed';
  const server = await startPongServe(['--transport', 'all', '--points', '3', '--game', gameId]);
  const broker = new URL(server.mqttUrl!);
  const sub = spawn('mosquitto_sub', ['-h', broker.hostname, '-p', broker.port, '-t', `pong/game/${gameId}/#`, '-v']);
  let seen = '';
  sub.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
  try {
    const common = ['--game', gameId, '--server', server.httpUrl!, '--skill', '0.4'];
    const p1 = runPong(['bot', '--player', '1', '--transport', 'webrtc', ...common]);
    const p2 = runPong(['bot', '--player', '2', '--transport', 'socketio', ...common]);
    const [, s1, s2, winner] = await p1.waitFor(/final score (\d+)-(\d+), winner P(\d)/, 150_000);
    await p2.waitFor(/final score (\d+)-(\d+)/, 10_000);
    expect(Math.max(Number(s1), Number(s2))).toBe(3);
    expect(server.proc.output()).toMatch(/p1 joined over webrtc/);
    expect(server.proc.output()).toMatch(/p2 joined over socketio/);

    // The MQTT side saw the game: the frames, both players' paddles (bridged from WebRTC and
    // Socket.io), and the final state with the same score.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = seen.split('\n');
    expect(lines.filter((line) => line.startsWith(`pong/game/${gameId}/ball {`)).length).toBeGreaterThan(300);
    expect(lines.some((line) => line.startsWith(`pong/game/${gameId}/p1/paddle {`))).toBe(true);
    expect(lines.some((line) => line.startsWith(`pong/game/${gameId}/p2/paddle {`))).toBe(true);
    const finalState = lines.filter((line) => line.startsWith(`pong/game/${gameId}/state {`)).at(-1)!;
    const state = JSON.parse(finalState.slice(finalState.indexOf(' ') + 1)) as Record<string, unknown>;
    expect(state).toMatchObject({ status: 'ended', p1Score: Number(s1), p2Score: Number(s2), winner: Number(winner) });
  } finally {
    sub.kill();
  }
}, 180_000);
