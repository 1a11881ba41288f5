/**
 * The child side of bench clients (bot players, or the load generator's simulated players):
 * connects them, then reports its CPU, memory and wire bytes per frame over each window.
 */
import { getTransport } from '../transports/registry.js';
import type { TransportClient } from '../transports/transport.js';
import { pongTransport, type FromChild, type PlayersConfig, type ToChild } from './ipc.js';
import { usageMark, usageSince, type UsageMark } from './usage.js';
import { WindowProfiler } from './window-profiler.js';

export interface BenchClients {
  /** Clients that could not connect. */
  failed: number;
  /** Ball frames received so far, over every client. */
  readonly frames: number;
  /** Bytes the clients' sockets carried so far; null where the bench does not count them. */
  readonly wire: WireTotals | null;
  close(): Promise<void>;
}

export function createTransportClient(config: PlayersConfig, clientId: string): TransportClient {
  return getTransport(pongTransport(config.transport)).createClient({
    serverUrl: config.urls.httpUrl ?? 'http://127.0.0.1:8080',
    brokerUrl: config.urls.mqttUrl ?? 'mqtt://127.0.0.1:1883',
    clientId,
    connectTimeoutMs: 15_000,
    extra: config.transport === 'webrtc' ? { signaling: 'ws', iceServers: [] } : {},
  });
}

export interface WireTotals {
  bytesIn: number;
  bytesOut: number;
}

export function wireTotals(clients: readonly TransportClient[]): WireTotals {
  let bytesIn = 0;
  let bytesOut = 0;
  for (const client of clients) {
    bytesIn += client.wire.bytesIn;
    bytesOut += client.wire.bytesOut;
  }
  return { bytesIn, bytesOut };
}

export function runClients(create: (config: PlayersConfig) => Promise<BenchClients>): void {
  const send = (message: FromChild) => process.send?.(message);
  let set: BenchClients | null = null;
  let mark: UsageMark = usageMark();
  let start: { frames: number; wire: WireTotals | null } = { frames: 0, wire: null };
  let profiler = new WindowProfiler(undefined);

  const close = async (): Promise<never> => {
    await set?.close().catch(() => {});
    // Native WebRTC handles must not keep a finished process alive.
    process.exit(0);
  };
  process.once('disconnect', () => void close());

  process.on('message', (message: ToChild) => {
    switch (message.type) {
      case 'config':
        profiler = new WindowProfiler((message.config as PlayersConfig).profile);
        create(message.config as PlayersConfig).then(
          (created) => {
            set = created;
            send({ type: 'ready', failed: created.failed });
          },
          (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
        );
        return;
      case 'measure':
        profiler.start().then(
          () => {
            mark = usageMark();
            start = { frames: set?.frames ?? 0, wire: set?.wire ?? null };
            send({ type: 'measuring' });
          },
          (error: unknown) => send({ type: 'failed', message: `cannot profile: ${error instanceof Error ? error.message : String(error)}` }),
        );
        return;
      case 'stop': {
        const usage = usageSince(mark);
        const wire = set?.wire ?? null;
        const frames = (set?.frames ?? 0) - start.frames;
        const per = (bytes: number | undefined) => (frames > 0 && bytes !== undefined ? Math.round((bytes / frames) * 10) / 10 : null);
        const delta = wire !== null && start.wire !== null ? { bytesIn: wire.bytesIn - start.wire.bytesIn, bytesOut: wire.bytesOut - start.wire.bytesOut } : null;
        profiler.stop().then(
          () =>
            send({
              type: 'client-report',
              report: { usage, frames, bytesInPerFrame: per(delta?.bytesIn), bytesOutPerFrame: per(delta?.bytesOut) },
            }),
          (error: unknown) => send({ type: 'failed', message: `cannot write the profile: ${error instanceof Error ? error.message : String(error)}` }),
        );
        return;
      }
      case 'close':
        void close();
        return;
    }
  });
}
