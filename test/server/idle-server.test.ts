/**
 * An idle server wakes for nothing: on this kind of machine a wake costs 1–3 ms of CPU however
 * little it does (12–20 ms after a long sleep), so the ≤ 1 ms/s an idle server may use allows no
 * periodic work. The real `pong serve`, every transport, its room waiting: clients of all four
 * transports come and go, and then the only timer it holds is Node's own HTTP connections
 * check (every 30 s, headers and request timeouts). Someone arriving wakes the reports again.
 * CPU itself is measured by `pong bench` (the tick cost's idle row), not here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runPong, type CliProcess } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { watchLatest } from '../helpers/latest.js';
import { waitFor } from '../helpers/wait.js';
import { getTransport } from '../../src/transports/registry.js';
import type { TransportClient, TransportName } from '../../src/transports/transport.js';
import type { ServerStatsMessage } from '../../src/server/gateway-report.js';

const CENSUS = fileURLToPath(new URL('../helpers/timer-census.mjs', import.meta.url));

const HOUR_MS = 3_600_000;

interface LiveTimer {
  ms: number;
  repeats: boolean;
  origin: string;
}

let server: CliProcess | null = null;

afterEach(async () => {
  await server?.kill();
  server = null;
});

async function census(proc: CliProcess): Promise<LiveTimer[]> {
  const before = proc.output().length;
  proc.child.kill('SIGUSR2');
  await waitFor(() => proc.output().slice(before).includes('TIMERS '), 'the timer census');
  const line = proc.output().slice(before).split('\n').find((l) => l.startsWith('TIMERS '))!;
  return JSON.parse(line.slice('TIMERS '.length)) as LiveTimer[];
}

describe('an idle pong serve', () => {
  it('holds no timer of its own once its clients have gone, and wakes its reports when someone arrives', async () => {
    const port = await freePort();
    const mqttPort = await freePort();
    server = runPong(['serve', '-t', 'all', '--port', String(port), '--mqtt-port', String(mqttPort), '--game', 'quiet', '--state-file', 'none'], {
      NODE_OPTIONS: `--import ${CENSUS}`,
    });
    await server.waitFor(/press Ctrl-C to stop/);
    expect(server.output()).toContain('games not saved (--state-file none)');
    const serverUrl = `http://127.0.0.1:${port}`;
    const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const names: TransportName[] = ['ws', 'mqtt', 'socketio', 'webrtc'];
    const clients: TransportClient[] = names.map((name) =>
      getTransport(name).createClient({ serverUrl, brokerUrl, clientId: `idle-${name}-${process.pid}` }),
    );
    for (const client of clients) client.subscribe('pong/game/quiet/state');
    await Promise.all(clients.map((client) => client.connect()));
    // While they are here, the server sweeps their sockets and reports every 2 s.
    const busy = await census(server);
    expect(busy.filter((t) => t.repeats && t.ms === 2_000).length, JSON.stringify(busy)).toBe(1);
    await Promise.all(clients.map((client) => client.close()));

    // The reports publish once more and stop within one period of the last client leaving.
    // (Aedes's own heartbeat, for brokers sharing a persistence, is a day: not a wake an idle server has.)
    const soon = (timers: LiveTimer[]) => timers.filter((t) => t.ms < HOUR_MS);
    let quiet = soon(await census(server));
    for (const deadline = Date.now() + 8_000; !quiet.every((t) => t.origin.includes('node:_http_server')) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      quiet = soon(await census(server));
    }
    expect(
      quiet.map((t) => ({ ms: t.ms, repeats: t.repeats, nodeHttpCheck: t.origin.includes('node:_http_server') })),
      JSON.stringify(quiet),
    ).toEqual([{ ms: 30_000, repeats: true, nodeHttpCheck: true }]);

    // An MQTT watcher arriving gets fresh stats at once, and they keep coming while it stays.
    const arrived = Date.now();
    const latest = await watchLatest(brokerUrl, ['pong/server/stats']);
    try {
      await waitFor(() => latest.json<ServerStatsMessage>('pong/server/stats') !== null, 'pong/server/stats');
      const first = latest.json<ServerStatsMessage>('pong/server/stats')!.timestamp;
      expect(first).toBeGreaterThanOrEqual(arrived - 50);
      await waitFor(() => latest.json<ServerStatsMessage>('pong/server/stats')!.timestamp > first, 'the next pong/server/stats', 5_000);
      expect(latest.json<ServerStatsMessage>('pong/server/stats')!.gateways.mqtt?.connections).toBe(1);
    } finally {
      await latest.close();
    }
  }, 60_000);
});
