/**
 * The gateways' counters, server-wide: what every gateway refused (by reason), how many clients
 * it cut off and how many frames it skipped for slow clients. Published retained on
 * `pong/server/stats` (any client, or mosquitto_sub, can read it) every 2 s while anyone is
 * connected, and summed into one log line whenever something new was refused. Per-game figures
 * stay in each game's own `stats`.
 */
import type { RoomCounters } from '../game/rooms.js';
import type { TopicBus } from '../bus/bus.js';
import type { Gateway, GatewayCounters, TransportName } from '../transports/transport.js';

export const SERVER_STATS_TOPIC = 'pong/server/stats';
export const SERVER_STATS_INTERVAL_MS = 2_000;
export const LOG_INTERVAL_MS = 10_000;

export interface ServerStatsMessage {
  timestamp: number;
  gateways: Partial<Record<TransportName, GatewayCounters>>;
  /** Rooms open, closed for being idle, and joins refused before a room was opened. */
  rooms?: RoomCounters;
  /** Cluster mode: this node, its games, and what it dropped from Redis and its peers (by reason). */
  cluster?: ClusterStats;
}

export interface ClusterStats {
  node: string;
  games: number;
  acquired: number;
  lost: number;
  selfFenced: number;
  handedOver: number;
  dropped: Readonly<Record<string, number>>;
  /** The live nodes as the last lease renewal saw them, with their --advertise address. */
  nodes: ReadonlyArray<{ id: string; games: number; advertise?: string }>;
}

export interface ReportSource {
  readonly bus: TopicBus;
  gateway(name: TransportName): Gateway | undefined;
  readonly rooms?: { counters(): RoomCounters };
  readonly cluster?: { stats(): ClusterStats } | null;
}

export function serverStats(source: ReportSource, transports: readonly TransportName[], now = Date.now()): ServerStatsMessage {
  const gateways: ServerStatsMessage['gateways'] = {};
  for (const name of transports) {
    const gateway = source.gateway(name);
    if (gateway) gateways[name] = { ...gateway.counters };
  }
  const cluster = source.cluster?.stats();
  return { timestamp: now, gateways, ...(source.rooms ? { rooms: source.rooms.counters() } : {}), ...(cluster ? { cluster } : {}) };
}

/** One line, or null when nothing was refused, cut off or skipped. */
export function summaryLine(stats: ServerStatsMessage): string | null {
  const parts: string[] = [];
  for (const [name, counters] of Object.entries(stats.gateways)) {
    if (counters.dropped === 0 && counters.kicked === 0 && counters.shed === 0) continue;
    const reasons = Object.entries(counters.droppedBy)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', ');
    parts.push(`${name}: dropped ${counters.dropped}${reasons ? ` (${reasons})` : ''}, kicked ${counters.kicked}, shed ${counters.shed}`);
  }
  const refusedRooms = Object.entries(stats.rooms?.refused ?? {});
  if (refusedRooms.length > 0) parts.push(`rooms: ${refusedRooms.map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
  // Redis away is said by the cluster itself; here only what a peer or Redis sent malformed.
  const clusterDrops = Object.entries(stats.cluster?.dropped ?? {}).filter(([reason]) => reason !== 'redis-down');
  if (clusterDrops.length > 0) parts.push(`cluster: ${clusterDrops.map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
  return parts.length === 0 ? null : `refused input — ${parts.join('; ')}`;
}

/** What the reports also need: whether anyone is connected, and word when someone arrives. */
export interface PulseSource extends ReportSource {
  readonly openSockets: number;
  /** An external broker's clients are not the server's to count: its reports never sleep. */
  readonly watchedElsewhere: boolean;
  onArrival(listener: () => void): () => void;
}

/**
 * Starts both reports on one timer, which runs only while a client is connected: a wake costs
 * this kind of machine 1–3 ms of CPU however little it does, so an idle server that woke for
 * its reports would never be free. When the last client has gone, the stats are published and
 * the refusals logged once more, and the timer stops until a socket reaches the server again.
 * The timer does not keep the process alive. Returns the stop function.
 */
export function startGatewayReports(source: PulseSource, transports: readonly TransportName[], log: (line: string) => void): () => void {
  let lastLogged = '';
  let timer: NodeJS.Timeout | null = null;
  let pulses = 0;
  const publish = () => {
    const stats = serverStats(source, transports);
    source.bus.publish(SERVER_STATS_TOPIC, JSON.stringify(stats), { qos: 0, retain: true });
  };
  const report = () => {
    const line = summaryLine(serverStats(source, transports));
    if (line === null || line === lastLogged) return;
    lastLogged = line;
    log(line);
  };
  const connected = () => source.watchedElsewhere || source.openSockets > 0;
  const sleep = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const pulse = () => {
    pulses += 1;
    publish();
    const awake = connected();
    if (!awake || pulses % LOG_EVERY_PULSES === 0) report();
    if (!awake) sleep();
  };
  const wake = () => {
    if (timer !== null) return;
    publish();
    timer = setInterval(pulse, SERVER_STATS_INTERVAL_MS);
    timer.unref();
  };
  const stopListening = source.onArrival(wake);
  wake();
  return () => {
    stopListening();
    sleep();
  };
}

const LOG_EVERY_PULSES = LOG_INTERVAL_MS / SERVER_STATS_INTERVAL_MS;
