/**
 * A host's record of the acks it received, and the per-frame figures they give. The host
 * stamps each ack's arrival as the bus hands it over (where the game room measures its round
 * trips) and only stores the text: parsing, offsets and percentiles wait until the window is
 * over, so measuring adds one array push per ack to the host's work.
 *
 * From each ack {seq, timestamp t0, rx} arriving at t3:
 *   round trip = t3 − t0 (host clock only);
 *   clock offset per client, NTP-style: median of rx − (t0 + t3) / 2 over its 8 fastest round trips;
 *   one-way = rx − t0 − offset;
 *   lost = frames the host sent into the window that the client never acked.
 */
import { ClockOffsetEstimator } from '../metrics/clock-offset.js';
import { LatencyHistogram } from '../metrics/histogram.js';
import { Jitter } from '../metrics/jitter.js';
import { roundOrNull } from '../protocol/round.js';
import { parseTopic } from '../protocol/topics.js';
import { curveOf, spreadOf, type AckFigures } from './figures.js';

/** Frames sent into the window: seqs after `from`, up to and including `to`. */
export interface SeqWindow {
  from: number;
  to: number;
}

export interface ParsedAck {
  seq: number;
  t0: number;
  rx: number;
  t3: number;
}

export class AckLog {
  #arrivals: number[] = [];
  #topics: string[] = [];
  #payloads: string[] = [];
  recording = false;

  /** Called by the host's bus tap for every ack. */
  record(topic: string, payload: string, arrival: number): void {
    if (!this.recording) return;
    this.#arrivals.push(arrival);
    this.#topics.push(topic);
    this.#payloads.push(payload);
  }

  clear(): void {
    this.#arrivals = [];
    this.#topics = [];
    this.#payloads = [];
  }

  get size(): number {
    return this.#arrivals.length;
  }

  /** Figures over each game's window, for `players` acking clients per game. */
  figures(windows: ReadonlyMap<string, SeqWindow>, players: readonly string[] = ['p1', 'p2']): AckFigures {
    const byClient = new Map<string, ParsedAck[]>();
    for (let i = 0; i < this.#arrivals.length; i++) {
      const topic = parseTopic(this.#topics[i]!);
      if (topic === null || !('player' in topic)) continue;
      const game = topic.gameId;
      const window = windows.get(game);
      if (window === undefined) continue;
      const ack = parseAck(this.#payloads[i]!, this.#arrivals[i]!);
      if (ack === null || ack.seq <= window.from || ack.seq > window.to) continue;
      const key = `${game}/p${topic.player}`;
      let list = byClient.get(key);
      if (list === undefined) byClient.set(key, (list = []));
      list.push(ack);
    }
    return summarise(windows, players, byClient);
  }
}

export function summarise(
  windows: ReadonlyMap<string, SeqWindow>,
  players: readonly string[],
  byClient: ReadonlyMap<string, ParsedAck[]>,
): AckFigures {
  const roundTrip = new LatencyHistogram();
  const oneWay = new LatencyHistogram();
  let expected = 0;
  let acked = 0;
  let jitterSum = 0;
  let jitterCount = 0;
  let offsetError: number | null = null;
  let offsetBound: number | null = null;
  let clients = 0;
  for (const [game, window] of windows) {
    for (const player of players) {
      const frames = Math.max(0, window.to - window.from);
      expected += frames;
      const acks = byClient.get(`${game}/${player}`);
      if (acks === undefined || acks.length === 0) continue;
      clients += 1;
      acks.sort((a, b) => a.seq - b.seq);
      const unique = acks.filter((ack, i) => i === 0 || ack.seq !== acks[i - 1]!.seq);
      acked += unique.length;
      const clock = new ClockOffsetEstimator({ window: unique.length, fastest: 8 });
      let fastest = Infinity;
      for (const ack of unique) {
        const rtt = ack.t3 - ack.t0;
        roundTrip.record(rtt);
        clock.add(ack.t0, ack.rx, ack.t3);
        if (rtt < fastest) fastest = rtt;
      }
      const offset = clock.offset ?? 0;
      offsetError = Math.max(offsetError ?? 0, Math.abs(offset));
      if (Number.isFinite(fastest)) offsetBound = Math.max(offsetBound ?? 0, fastest / 2);
      const jitter = new Jitter();
      for (const ack of unique) {
        const value = ack.rx - ack.t0 - offset;
        oneWay.record(value);
        jitter.update(value);
      }
      if (jitter.value !== null) {
        jitterSum += jitter.value;
        jitterCount += 1;
      }
    }
  }
  return {
    clients,
    expected,
    acked,
    framesLost: expected - acked,
    roundTrip: spreadOf(roundTrip),
    roundTripCurve: curveOf(roundTrip),
    oneWay: spreadOf(oneWay),
    jitter: jitterCount > 0 ? roundOrNull(jitterSum / jitterCount) : null,
    offsetError: roundOrNull(offsetError),
    offsetBound: roundOrNull(offsetBound),
  };
}

function parseAck(text: string, t3: number): ParsedAck | null {
  try {
    const value = JSON.parse(text) as { seq?: unknown; timestamp?: unknown; rx?: unknown };
    const { seq, timestamp, rx } = value;
    if (typeof seq !== 'number' || typeof timestamp !== 'number' || typeof rx !== 'number') return null;
    return { seq, t0: timestamp, rx, t3 };
  } catch {
    return null;
  }
}
