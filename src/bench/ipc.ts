/**
 * Messages between `pong bench` and the processes it forks (hosts: the game server or a bare
 * relay; clients: bot players or the load generator). Every child answers the same few
 * commands, so one BenchChild drives them all.
 */
import type { NetworkConditions } from '../bus/conditioned-bus.js';
import type { TransportName } from '../transports/transport.js';
import type { ClientReport, HostReport } from './figures.js';

/**
 * What a floor runs over: a transport's bare library, or `tcp`, the machine floor: Node's net
 * with no library at all (relays/tcp-relay.ts).
 */
export type FloorName = TransportName | 'tcp';

/** The transport of a game server or its players: only a floor runs over bare TCP. */
export function pongTransport(name: FloorName): TransportName {
  if (name === 'tcp') throw new Error('tcp is a floor of its own: pong serves no bare TCP');
  return name;
}

export interface HostConfig {
  /** relay: the scale bench's bare relay; floor: the same, but WebRTC on a bare data channel. */
  role: 'server' | 'relay' | 'floor';
  /** `tcp` only for a floor: the game server and the relays serve transports. */
  transport: FloorName;
  games: string[];
  /** External MQTT broker (mqtt only); absent: embedded Aedes. */
  brokerUrl?: string;
  network?: NetworkConditions;
  /** Write a CPU profile of the measured window here (see WindowProfiler). */
  profile?: string;
  /**
   * A relay's 60 Hz: pong's scheduler (the default: the comparison is then of what runs in a
   * tick), or a bare setInterval(1000 / 60), the simplest server anyone would write.
   */
  pacing?: RelayPacing;
}

export type RelayPacing = 'scheduler' | 'setInterval';

export interface HostUrls {
  httpUrl: string | null;
  mqttUrl: string | null;
  /** The machine floor's relay: tcp://host:port. */
  tcpUrl?: string;
}

export interface PlayersConfig {
  role: 'bots' | 'load' | 'floor';
  /** `tcp` only for a floor's clients. */
  transport: FloorName;
  urls: HostUrls;
  games: string[];
  /** bots and floor: which seat each process plays (one player per process). */
  player?: 1 | 2;
  /** load: publish a join first (the game server needs players; a relay does not). */
  join?: boolean;
  /** Write a CPU profile of the measured window here (see WindowProfiler). */
  profile?: string;
}

export type ToChild =
  | { type: 'config'; config: HostConfig | PlayersConfig }
  | { type: 'measure' }
  | { type: 'stop'; graceMs: number }
  | { type: 'close' };

export type FromChild =
  | { type: 'ready'; urls?: HostUrls; failed?: number }
  | { type: 'failed'; message: string }
  | { type: 'measuring' }
  | { type: 'host-report'; report: HostReport }
  | { type: 'client-report'; report: ClientReport };
