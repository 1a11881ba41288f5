/**
 * A client that stops reading (its process stopped with SIGSTOP, so the kernel buffers fill and
 * then nothing drains) costs each gateway a bounded buffer: latest-wins frames to it are
 * skipped (`shed`), not queued. 8,000 frames of 4 KB (32 MB) are published to it; at most
 * what the kernel's socket buffers and the gateway's own threshold hold (12 MiB allowed here)
 * may have been accepted for it, the rest must have been shed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { mqttTransport } from '../../src/transports/mqtt/index.js';
import { socketioTransport } from '../../src/transports/socketio/index.js';
import type { TransportFactory } from '../../src/transports/transport.js';
import { webrtcTransport } from '../../src/transports/webrtc/index.js';
import { wsTransport } from '../../src/transports/ws/index.js';
import { startGatewayFixture, type TransportFixture } from '../helpers/gateway-fixture.js';
import { repeatUntil } from '../helpers/wait.js';

const SCRIPT = fileURLToPath(new URL('../helpers/subscriber-client.mjs', import.meta.url));
const FRAMES = 8_000;
const FRAME_BYTES = 4_000;
/** Kernel send and receive buffers on loopback (a few MiB each) plus a gateway's threshold. */
const ALLOWANCE_BYTES = 12 * 1024 * 1024;

let fixture: TransportFixture | null = null;
let child: ChildProcess | null = null;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = null;
  await fixture?.teardown();
  fixture = null;
});

async function stoppedSubscriber(fx: TransportFixture, filter: string): Promise<void> {
  const proc = spawn(process.execPath, [SCRIPT, fx.transport, JSON.stringify(fx.clientOptions('slow')), filter], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await repeatUntil(() => fx.bus.publish(filter, 'probe'), () => output.includes('first'), `the subscriber's first message (${output})`, 15_000);
  proc.kill('SIGSTOP');
}

describe.each<[string, TransportFactory]>([
  ['ws', wsTransport],
  ['socketio', socketioTransport],
  ['mqtt (embedded Aedes)', mqttTransport],
  ['webrtc', webrtcTransport],
])('a client that stops reading, on %s', (_label, factory) => {
  it('gets frames skipped, not an ever-growing buffer', async () => {
    fixture = await startGatewayFixture(factory, factory.name === 'mqtt' ? { gatewayOptions: { mqttPort: 0 } } : {});
    const topic = 'pong/game/slow/ball';
    await stoppedSubscriber(fixture, topic);
    const payload = 'x'.repeat(FRAME_BYTES);
    for (let i = 0; i < FRAMES; i++) {
      fixture.bus.publish(topic, payload);
      // Let the sockets take what they will between batches, as between real ticks.
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const accepted = FRAMES - fixture.gateway.counters.shed;
    expect(accepted * FRAME_BYTES).toBeLessThanOrEqual(ALLOWANCE_BYTES);
    expect(fixture.gateway.counters.shed).toBeGreaterThan(0);
  }, 60_000);
});
