// Aedes's `concurrency` (its mqemitter's: messages delivered at once before the rest queue),
// seen directly: 150 games' frames published per 60 Hz tick to 300 subscribed mqtt.js clients
// on loopback, with Aedes's default (100) and with pong's embedded broker's (10,000). Prints
// the most messages in flight, the longest queue after a tick's burst, and the frames
// delivered of 18,000 by 300 ms after the last tick.
//
//   node bench/mqtt/inflight.mjs
import { Aedes } from 'aedes';
import net from 'node:net';
import mqtt from 'mqtt';
for (const concurrency of [100, 10000]) {
  const broker = await Aedes.createBroker({ concurrency });
  const server = net.createServer((s) => { s.setNoDelay(true); broker.handle(s); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${server.address().port}`;
  const clients = [];
  for (let i = 0; i < 300; i++) { const c = await mqtt.connectAsync(url); await c.subscribeAsync(`pong/game/g${i % 150}/ball`); clients.push(c); }
  let got = 0; for (const c of clients) c.on('message', () => got++);
  let maxQueued = 0, maxCurrent = 0;
  const t0 = performance.now();
  for (let tick = 0; tick < 60; tick++) {
    for (let g = 0; g < 150; g++) broker.publish({ cmd: 'publish', topic: `pong/game/g${g}/ball`, payload: Buffer.from('{"x":1}'), qos: 0, retain: false, dup: false }, () => {});
    maxQueued = Math.max(maxQueued, broker.mq._messageQueue.length); maxCurrent = Math.max(maxCurrent, broker.mq.current);
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 300));
  console.log({ concurrency, maxCurrent, maxQueuedAfterBurst: maxQueued, delivered: got, ms: Math.round(performance.now() - t0) });
  for (const c of clients) await c.endAsync(true);
  await new Promise((r) => broker.close(r)); server.close();
}
