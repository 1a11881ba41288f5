/**
 * Entry of the observer process, forked by observer-link.ts: the observers and the comparison
 * engine, with nothing else on their event loop. An Ink render of the compare screen holds
 * the event loop for up to ~10 ms (measured: event-loop delay p99 11 ms at 30 fps on this
 * kind of machine); in the same process every frame arriving meanwhile would be stamped late,
 * and the screen would measure itself rather than the transports. (A worker thread would do,
 * but node-datachannel does not work in one: callbacks never fire and terminate() aborts.)
 */
import { getTransport } from '../transports/registry.js';
import { Comparison } from './comparison.js';
import type { FromObservers, ObserverConfig, ToObservers } from './ipc.js';

function send(message: FromObservers): void {
  process.send?.(message);
}

function run(config: ObserverConfig): void {
  const comparison = new Comparison({
    gameId: config.gameId,
    transports: config.transports,
    timeline: config.timeline === true,
    createClient: (name, clientId) =>
      getTransport(name).createClient({
        serverUrl: config.serverUrl,
        brokerUrl: config.brokerUrl,
        clientId,
        connectTimeoutMs: 5000,
        extra: config.extra[name] ?? {},
      }),
  });
  comparison.subscribe(() => send({ type: 'snapshot', snapshot: comparison.snapshot() }));

  let courtTimer: NodeJS.Timeout | null = null;
  const court = comparison.observers[0]?.session;
  if (config.courtFps > 0 && court) {
    let sent: unknown = null;
    courtTimer = setInterval(() => {
      const view = court.getState();
      if (view === sent) return;
      sent = view;
      send({ type: 'court', frame: { ball: view.ball, paddles: view.paddles, state: view.state, connection: view.connection } });
    }, 1000 / config.courtFps);
  }

  const close = async (): Promise<never> => {
    if (courtTimer !== null) clearInterval(courtTimer);
    await comparison.close();
    // Native WebRTC handles must not keep a finished process alive.
    process.exit(0);
  };
  // The parent is gone (crashed or killed): nobody to report to.
  process.once('disconnect', () => void close());

  process.on('message', (message: ToObservers) => {
    switch (message.type) {
      case 'whenReady':
        void comparison.whenReady(message.timeoutMs).then((notReady) => send({ type: 'ready', notReady: notReady.map((o) => o.name) }));
        return;
      case 'measure':
        return comparison.measure();
      case 'finish':
        void comparison.finish(message.graceMs).then((snapshot) => send({ type: 'finished', snapshot, timeline: comparison.timeline() }));
        return;
      case 'close':
        void close();
        return;
      default:
        return;
    }
  });

  void comparison.start().then((failed) =>
    send({ type: 'started', failed: failed.map(({ name, error }) => ({ name, message: error instanceof Error ? error.message : String(error) })) }),
  );
}

process.once('message', (message: ToObservers) => {
  if (message.type === 'config') run(message.config);
});
