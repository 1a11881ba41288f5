/**
 * Entry of a bare relay host, for the scale bench and the game bench's floors: the
 * transport's relay (or the machine floor's bare TCP) publishing a ball-shaped frame per game
 * on a 60 Hz pacing (one written per game per tick, as the game does). The pacing is the game
 * server's own scheduler by default, or a bare setInterval (see HostConfig.pacing).
 */
import { TickScheduler } from '../game/scheduler.js';
import { systemClock } from '../metrics/clock.js';
import { DEFAULT_FPS } from '../protocol/constants.js';
import { decimalText } from '../protocol/decimal-text.js';
import { runHost, type HostProbes } from './host-main.js';
import type { RelayPacing } from './ipc.js';
import { bareRelays } from './relays/bare-relays.js';
import type { AckSink, BareRelay } from './relays/relay.js';

runHost(async (config, probes) => {
  const onAck: AckSink = probes.ack;
  const relay: BareRelay = await bareRelays[config.transport](onAck, config.brokerUrl);
  const seqs = new Map(config.games.map((game) => [game, 0]));
  const publishers = config.games.map((game) => {
    const topic = `pong/game/${game}/ball`;
    return () => {
      const seq = (seqs.get(game) ?? 0) + 1;
      seqs.set(game, seq);
      const phase = seq / 60;
      // Written as the game writes its frame (game/wire.ts ballFrameText): the same fields,
      // written the same way, and the clock read last, so the timestamp is the send time here
      // as it is there.
      const head = `{"x":${decimalText(20 + 18 * Math.sin(phase), 3)},"y":${decimalText(6 + 5 * Math.cos(phase * 1.3), 3)},"dx":0.5,"dy":-0.25,"timestamp":`;
      relay.publish(topic, `${head}${decimalText(systemClock(), 3)},"seq":${seq},"p1y":4.5,"p2y":4.5}`);
    };
  });
  const stopPacing = pace(config.pacing ?? 'scheduler', publishers, probes);
  return {
    urls: relay.urls,
    seqOf: (game) => seqs.get(game) ?? 0,
    stop: async () => {
      stopPacing();
      await relay.stop();
    },
  };
});

/** Runs every publisher once per tick; returns what stops the ticks. */
function pace(pacing: RelayPacing, publishers: ReadonlyArray<() => void>, probes: HostProbes): () => void {
  if (pacing === 'setInterval') {
    // What the classic demo's server does: one interval, running from start to stop whether
    // any game plays or not. Its tick error is against the 60 Hz grid from its start, as the
    // scheduler's is: each of Node's intervals starts from the last one's late wake, so the
    // error grows, and the ticks per second show the drift.
    const period = 1000 / DEFAULT_FPS;
    const start = systemClock();
    let n = 0;
    const interval = setInterval(() => {
      n += 1;
      probes.tickError(Math.abs(systemClock() - (start + n * period)));
      for (const publish of publishers) publish();
    }, period);
    return () => clearInterval(interval);
  }
  // The game server's own loop, one ticker per game as it has one per room: the same grid
  // and slices, so the comparison is of what runs in a tick, not of the loop.
  const scheduler = new TickScheduler({ clock: systemClock });
  scheduler.onTickError(probes.tickError);
  const tickers = publishers.map((publish) => scheduler.ticker(publish));
  for (const ticker of tickers) ticker.start();
  return () => {
    for (const ticker of tickers) ticker.stop();
  };
}
