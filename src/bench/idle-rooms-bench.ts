/**
 * What idle rooms cost a server that is playing a game: one live game over MQTT (the server and
 * two bot players in processes of their own, as the game bench runs them) measured alone, then
 * again after a client has opened `rooms` more games by joining them, and left. The second
 * window is measured right after the first, in the same server, so the difference is the
 * rooms' (an idle room does not tick). Frames per second are counted at a subscriber of the
 * live game, as a spectator sees them.
 */
import { topics } from '../protocol/topics.js';
import { MqttTransportClient } from '../transports/mqtt/client.js';
import { BenchChild } from './bench-child.js';
import type { ProcessUsage } from './figures.js';
import { sleep } from './game-bench.js';
import type { HostConfig, PlayersConfig } from './ipc.js';
import type { Progress } from './progress.js';

export interface IdleRoomsOptions {
  rooms: number;
  durationS: number;
  warmupMs: number;
  progress: Progress;
}

export interface IdleRoomsWindow {
  /** Rooms open on the server while measured, the live game's included. */
  roomsOpen: number;
  /** Ball frames of the live game a subscriber received, per second. */
  framesPerS: number;
  /** Frames the subscriber never received (gaps in seq). */
  framesLost: number;
  server: ProcessUsage;
  tickErrorP99: number | null;
}

export interface IdleRoomsResult {
  rooms: number;
  alone: IdleRoomsWindow;
  withRooms: IdleRoomsWindow;
  /** The server's CPU with the rooms over its CPU without, minus one, in percent. */
  extraCpuPct: number | null;
}

const LIVE = 'live';
/** Under the server's 400 messages a second per client. */
const JOINS_PER_SECOND = 250;

export async function runIdleRoomsBench(options: IdleRoomsOptions): Promise<IdleRoomsResult> {
  const say = (what: string) => options.progress.show(`bench idle rooms: ${what}`);
  const children: BenchChild[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    say('starting pong server and two bot players');
    const host = new BenchChild('./server-process.js', 'bench-server-rooms');
    children.push(host);
    const hostConfig: HostConfig = { role: 'server', transport: 'mqtt', games: [LIVE] };
    const { urls } = await host.ask({ type: 'config', config: hostConfig }, 'ready', 20_000);
    const brokerUrl = urls!.mqttUrl!;
    await Promise.all(
      ([1, 2] as const).map((player) => {
        const child = new BenchChild('./player-process.js', `bench-bot-rooms-p${player}`);
        children.push(child);
        const config: PlayersConfig = { role: 'bots', transport: 'mqtt', urls: urls!, games: [LIVE], player };
        return child.ask({ type: 'config', config }, 'ready', 30_000);
      }),
    );
    const frames = new FrameCounter();
    const subscriber = new MqttTransportClient({ brokerUrl, serverUrl: 'http://127.0.0.1:1', clientId: 'bench-rooms-watcher' });
    subscriber.onMessage((_topic, payload) => frames.onFrame(payload));
    subscriber.subscribe(topics.ball(LIVE));
    await subscriber.connect();
    closers.push(() => subscriber.close());
    say('warming up');
    await sleep(options.warmupMs);

    const measure = async (label: string, roomsOpen: number): Promise<IdleRoomsWindow> => {
      say(`measuring ${options.durationS} s, ${label}`);
      await host.ask({ type: 'measure' }, 'measuring', 5_000);
      frames.reset();
      await sleep(options.durationS * 1000);
      const received = frames.snapshot();
      const { report } = await host.ask({ type: 'stop', graceMs: 100 }, 'host-report', 30_000);
      return {
        roomsOpen,
        framesPerS: Math.round((received.count / options.durationS) * 10) / 10,
        framesLost: received.lost,
        server: report.usage,
        tickErrorP99: report.tickError.p99,
      };
    };

    const alone = await measure('the live game alone', 1);
    say(`opening ${options.rooms} rooms`);
    const opened = await openRooms(brokerUrl, options.rooms);
    await sleep(1000);
    const withRooms = await measure(`with ${opened} idle rooms`, 1 + opened);
    const extraCpuPct =
      alone.server.cpuMsPerS > 0 ? Math.round((withRooms.server.cpuMsPerS / alone.server.cpuMsPerS - 1) * 1000) / 10 : null;
    return { rooms: opened, alone, withRooms, extraCpuPct };
  } finally {
    say('stopping');
    for (const close of closers) await close().catch(() => {});
    await Promise.all(children.map((child) => child.kill()));
    options.progress.done();
  }
}

/** Joins `count` new games as player 1, one client, then leaves; resolves with the rooms the server granted. */
async function openRooms(brokerUrl: string, count: number): Promise<number> {
  const clientId = 'bench-room-opener';
  const opener = new MqttTransportClient({ brokerUrl, serverUrl: 'http://127.0.0.1:1', clientId });
  let granted = 0;
  opener.onMessage((_topic, payload) => {
    if (payload.includes('"granted":true')) granted += 1;
  });
  opener.subscribe(`pong/game/+/seat/${clientId}`);
  await opener.connect();
  for (let i = 0; i < count; i++) {
    opener.publish(topics.join(`idle-${i}`), JSON.stringify({ player: 1, clientId, timestamp: Date.now() }), { qos: 0 });
    if (i % 25 === 24) await sleep((25 * 1000) / JOINS_PER_SECOND);
  }
  const deadline = Date.now() + 10_000;
  while (granted < count && Date.now() < deadline) await sleep(50);
  await opener.close();
  return granted;
}

/** Ball frames received, and the gaps in their seq. */
class FrameCounter {
  private count = 0;
  private lost = 0;
  private lastSeq: number | null = null;

  onFrame(payload: string): void {
    const seq = /"seq":(\d+)/.exec(payload);
    if (seq === null) return;
    const value = Number(seq[1]);
    if (this.lastSeq !== null && value > this.lastSeq + 1) this.lost += value - this.lastSeq - 1;
    this.lastSeq = value;
    this.count += 1;
  }

  reset(): void {
    this.count = 0;
    this.lost = 0;
  }

  snapshot(): { count: number; lost: number } {
    return { count: this.count, lost: this.lost };
  }
}
