/**
 * TLS end to end with a self-signed certificate made here by openssl: `pong serve --tls-cert
 * --tls-key` serves https/wss and mqtts, a bot game over wss and mqtts (`--ca`) finishes, the
 * Socket.io and WebRTC clients connect over https too, and a client that does not trust the
 * certificate is refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { getTransport } from '../../src/transports/registry.js';
import type { TransportClient, TransportName } from '../../src/transports/transport.js';
import { requireBinary } from '../helpers/binaries.js';
import { killAll, runPong } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const GAME = 'tls';
const dir = mkdtempSync(path.join(tmpdir(), 'pong-tls-'));
const clients: TransportClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

function selfSigned(): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  return { cert, key };
}

it.runIf(requireBinary('openssl'))('plays over wss and mqtts with a self-signed certificate', async () => {
  const { cert, key } = selfSigned();
  const server = runPong(['serve', '-t', 'all', '--port', '0', '--mqtt-port', '0', '--mqtts-port', '0', '--tls-cert', cert, '--tls-key', key, '--points', '2', '--game', GAME, '--state-file', 'none']);
  await server.waitFor(/press Ctrl-C to stop/);
  const httpsUrl = server.output().match(/serving ws (https:\/\/\S+)/)![1]!;
  const mqttsUrl = server.output().match(/TLS listener on (mqtts:\/\/\S+)/)![1]!;
  const ca = readFileSync(cert, 'utf8');

  const bot1 = runPong(['bot', '-p', '1', '-g', GAME, '-t', 'mqtt', '--broker', mqttsUrl, '--ca', cert, '--skill', '0.3']);
  const bot2 = runPong(['bot', '-p', '2', '-g', GAME, '-t', 'ws', '--server', httpsUrl, '--ca', cert, '--skill', '0.3']);

  // The other two transports over the same https port, watching the game.
  const frames = new Map<TransportName, number>();
  for (const name of ['socketio', 'webrtc'] as const) {
    const client = getTransport(name).createClient({ serverUrl: httpsUrl, brokerUrl: mqttsUrl, clientId: `tls-${name}`, ca, connectTimeoutMs: 15_000 });
    client.onMessage(() => frames.set(name, (frames.get(name) ?? 0) + 1));
    client.subscribe(`pong/game/${GAME}/ball`);
    clients.push(client);
    await client.connect();
  }
  // The room ticks from the first join: the bots' processes may take a while to start.
  await waitFor(() => (frames.get('socketio') ?? 0) > 10 && (frames.get('webrtc') ?? 0) > 10, 'ball frames over https', 30_000);

  const untrusting = getTransport('ws').createClient({ serverUrl: httpsUrl, brokerUrl: mqttsUrl, clientId: 'no-ca', connectTimeoutMs: 5_000 });
  clients.push(untrusting);
  await expect(untrusting.connect()).rejects.toMatchObject({ code: 'EUNREACHABLE' });

  const [, p1, p2] = await bot1.waitFor(/final score (\d+)-(\d+), winner P(\d)/, 150_000);
  await bot2.waitFor(/final score/, 10_000);
  expect(Math.max(Number(p1), Number(p2))).toBe(2);
}, 180_000);
