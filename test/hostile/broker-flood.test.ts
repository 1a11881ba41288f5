/**
 * The embedded broker bounds a packet while it is being read, as an outsider with a raw TCP
 * socket would try it: a CONNECT, then a PUBLISH whose fixed header announces 268 MB, then a
 * stream of bytes. The connection is closed from the header, before the body is buffered, the
 * refusal is counted, and four such connections leave the server's memory where it was.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import type { ServerStatsMessage } from '../../src/server/gateway-report.js';
import { killAll, startPongServe } from '../helpers/cli.js';
import { watchLatest } from '../helpers/latest.js';
import { waitFor } from '../helpers/wait.js';

afterAll(() => killAll());

/** An MQTT 3.1.1 CONNECT with a clean session and this client id, written byte by byte. */
function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId);
  const variable = Buffer.from([0x00, 0x04, ...Buffer.from('MQTT'), 0x04, 0x02, 0x00, 0x3c]);
  const payload = Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  return Buffer.concat([Buffer.from([0x10, variable.length + payload.length]), variable, payload]);
}

/** A PUBLISH fixed header announcing the largest length MQTT can express: 268,435,455 bytes. */
const HUGE_PUBLISH = Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]);
const STREAM_LIMIT = 64 << 20;

/** Sends the packet and then up to 64 MB; resolves with how much was written before the broker closed it. */
function flood(port: number, clientId: string): Promise<{ written: number; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunk = Buffer.alloc(1 << 20, 0x41);
    let written = 0;
    let closed = false;
    const pump = () => {
      while (!closed && written < STREAM_LIMIT) {
        written += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (!closed) socket.end();
    };
    socket.on('connect', () => {
      socket.write(connectPacket(clientId));
      socket.write(HUGE_PUBLISH);
      pump();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve({ written, closed: written < STREAM_LIMIT });
    });
  });
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return Number(line![1]) / 1024;
}

it('closes a connection whose packet header announces more than the limit, before reading the body', async () => {
  const server = await startPongServe(['--transport', 'mqtt', '--state-file', 'none']);
  const port = Number(new URL(server.mqttUrl!).port);
  const pid = server.proc.child.pid!;
  const latest = await watchLatest(server.mqttUrl!, ['pong/server/stats']);
  const rssBefore = rssMiB(pid);

  const floods = await Promise.all([1, 2, 3, 4].map((n) => flood(port, `flood-${n}`)));
  for (const result of floods) {
    expect(result.closed).toBe(true);
    // What the kernel's socket buffers took before the close, not what the broker kept.
    expect(result.written).toBeLessThan(16 << 20);
  }
  const rssAfter = rssMiB(pid);
  expect(rssAfter - rssBefore).toBeLessThan(32);

  const counted = () => latest.json<ServerStatsMessage>('pong/server/stats')?.gateways.mqtt?.droppedBy['packet-too-large'] ?? 0;
  await waitFor(() => counted() === 4, 'four oversized packets counted', 5_000);
  await latest.close();
}, 60_000);
