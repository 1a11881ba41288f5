/**
 * The child side of bench clients (bot players, or the load generator's simulated players):
 * connects them, then reports its CPU, memory and wire bytes per frame over each window.
 */
import { getTransport } from '../transports/registry.js';
import type { TransportClient } from '../transports/transport.js';
import type { FromChild, PlayersConfig, ToChild } from './ipc.js';
import { usageMark, usageSince, type UsageMark } from './usage.js';

export interface BenchClients {
  /** Clients that could not connect. */
  failed: number;
  /** Ball frames received so far, over every client. */
  readonly frames: number;
  readonly clients: readonly TransportClient[];
  close(): Promise<void>;
}

export function createTransportClient(config: PlayersConfig, clientId: string): TransportClient {
  return getTransport(config.transport).createClient({
    serverUrl: config.urls.httpUrl ?? 'http://127.0.0.1:8080',
    brokerUrl: config.urls.mqttUrl ?? 'mqtt://127.0.0.1:1883',
    clientId,
    connectTimeoutMs: 15_000,
    extra: config.transport === 'webrtc' ? { signaling: 'ws', iceServers: [] } : {},
  });
}

function wireTotals(clients: readonly TransportClient[]): { bytesIn: number; bytesOut: number } {
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
  let start = { frames: 0, bytesIn: 0, bytesOut: 0 };

  const close = async (): Promise<never> => {
    await set?.close().catch(() => {});
    // Native WebRTC handles must not keep a finished process alive.
    process.exit(0);
  };
  process.once('disconnect', () => void close());

  process.on('message', (message: ToChild) => {
    switch (message.type) {
      case 'config':
        create(message.config as PlayersConfig).then(
          (created) => {
            set = created;
            send({ type: 'ready', failed: created.failed });
          },
          (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
        );
        return;
      case 'measure':
        mark = usageMark();
        start = { frames: set?.frames ?? 0, ...wireTotals(set?.clients ?? []) };
        send({ type: 'measuring' });
        return;
      case 'stop': {
        const usage = usageSince(mark);
        const wire = wireTotals(set?.clients ?? []);
        const frames = (set?.frames ?? 0) - start.frames;
        const per = (bytes: number) => (frames > 0 ? Math.round((bytes / frames) * 10) / 10 : null);
        send({
          type: 'client-report',
          report: { usage, frames, bytesInPerFrame: per(wire.bytesIn - start.bytesIn), bytesOutPerFrame: per(wire.bytesOut - start.bytesOut) },
        });
        return;
      }
      case 'close':
        void close();
        return;
    }
  });
}
