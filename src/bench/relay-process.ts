/**
 * Entry of a bare relay host, for the scale bench and the game bench's floors: the
 * transport's relay (or the machine floor's bare TCP) plus the game server's 60 Hz scheduler
 * publishing a ball-shaped frame per game (one written per game per tick, as the game does).
 */
import { TickScheduler } from '../game/scheduler.js';
import { systemClock } from '../metrics/clock.js';
import { decimalText } from '../protocol/decimal-text.js';
import { runHost } from './host-main.js';
import { bareRelays } from './relays/bare-relays.js';
import type { AckSink, BareRelay } from './relays/relay.js';

runHost(async (config, probes) => {
  const onAck: AckSink = probes.ack;
  const relay: BareRelay = await bareRelays[config.transport](onAck, config.brokerUrl);
  const seqs = new Map(config.games.map((game) => [game, 0]));
  // The game server's own loop, one ticker per game as it has one per room: the same grid,
  // polling and 1 ms slices, so the comparison is of what runs in a tick, not of the loop.
  const scheduler = new TickScheduler({ clock: systemClock });
  scheduler.onTickError(probes.tickError);
  const tickers = config.games.map((game) => {
    const topic = `pong/game/${game}/ball`;
    return scheduler.ticker(() => {
      const seq = (seqs.get(game) ?? 0) + 1;
      seqs.set(game, seq);
      const phase = seq / 60;
      // Written as the game writes its frame (game/wire.ts ballFrameText): the same fields,
      // written the same way, and the clock read last, so the timestamp is the send time here
      // as it is there.
      const head = `{"x":${decimalText(20 + 18 * Math.sin(phase), 3)},"y":${decimalText(6 + 5 * Math.cos(phase * 1.3), 3)},"dx":0.5,"dy":-0.25,"timestamp":`;
      relay.publish(topic, `${head}${decimalText(systemClock(), 3)},"seq":${seq},"p1y":4.5,"p2y":4.5}`);
    });
  });
  for (const ticker of tickers) ticker.start();
  return {
    urls: relay.urls,
    seqOf: (game) => seqs.get(game) ?? 0,
    stop: async () => {
      for (const ticker of tickers) ticker.stop();
      await relay.stop();
    },
  };
});
