// The 60 Hz pacings Node offers, side by side: each in a process of its own, all at once (so
// a shared machine's load weighs on each alike), ticking an empty callback for a while. Per
// pacing: CPU ms per second, ticks per second, tick error (|tick − its 60 Hz grid point|) and
// interval error (|time between ticks − 16.667 ms|, what a player sees as uneven frames).
//
//   npm run build && node bench/tick/pacing.mjs [seconds=20]
//
// - spin: the loop pong had: setTimeout to 1 ms before the grid point, then setImmediate
//   polling until it is due.
// - absolute: setTimeout aimed at the grid point itself (late by the timers' lateness).
// - centred: pong's loop now (src/game/loop.ts): setTimeout aimed early by the lateness
//   learned from its own wakes; a wake within 1 ms of its point ticks.
// - setInterval: setInterval(1000 / 60), as the classic demo's server.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const PERIOD = 1000 / 60;
const PACINGS = ['spin', 'absolute', 'centred', 'setInterval'];
const clock = () => performance.timeOrigin + performance.now();

if (process.argv[2] === '--child') {
  const pacing = process.argv[3];
  const seconds = Number(process.argv[4]);
  const errors = [];
  const intervals = [];
  let last = null;
  const onTick = (scheduled) => {
    const now = clock();
    errors.push(Math.abs(now - scheduled));
    if (last !== null) intervals.push(Math.abs(now - last - PERIOD));
    last = now;
  };
  const t0 = clock();
  const cpu0 = process.cpuUsage();
  let stop;
  if (pacing === 'setInterval') {
    let n = 0;
    const h = setInterval(() => onTick(t0 + ++n * PERIOD), PERIOD);
    stop = () => clearInterval(h);
  } else if (pacing === 'centred') {
    const { FixedRateLoop } = await import('../../dist/game/loop.js');
    const loop = new FixedRateLoop({ clock, onTick: (tick) => onTick(tick.scheduled) });
    loop.start();
    stop = () => loop.stop();
  } else {
    const spinMs = pacing === 'spin' ? 1 : 0;
    let n = 1;
    let handle = null;
    let active = true;
    const due = () => t0 + n * PERIOD;
    const arm = () => {
      const wait = due() - clock();
      handle = wait > spinMs ? setTimeout(wake, wait - spinMs) : setImmediate(wake);
    };
    const wake = () => {
      if (!active) return;
      if (clock() >= due()) {
        onTick(due());
        n += 1;
      }
      arm();
    };
    arm();
    stop = () => {
      active = false;
      clearTimeout(handle);
      clearImmediate(handle);
    };
  }
  setTimeout(() => {
    stop();
    const cpu = process.cpuUsage(cpu0);
    const s = (clock() - t0) / 1000;
    const q = (values, p) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    };
    process.send({
      pacing,
      cpuMsPerS: (cpu.user + cpu.system) / 1000 / s,
      ticksPerS: errors.length / s,
      tickErrorP50: q(errors, 0.5),
      tickErrorP99: q(errors, 0.99),
      intervalErrorP50: q(intervals, 0.5),
      intervalErrorP99: q(intervals, 0.99),
    });
  }, seconds * 1000);
} else {
  const seconds = Number(process.argv[2] ?? 20);
  const self = fileURLToPath(import.meta.url);
  console.log(`${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model} · Node ${process.version} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} · ${seconds} s, all at once`);
  const results = await Promise.all(
    PACINGS.map(
      (pacing) =>
        new Promise((resolve, reject) => {
          const child = fork(self, ['--child', pacing, String(seconds)]);
          child.once('message', (m) => {
            resolve(m);
            child.kill();
          });
          child.once('error', reject);
        }),
    ),
  );
  const f = (v, d = 3) => (v === null ? '-' : v.toFixed(d));
  console.log('| pacing | CPU ms/s | ticks/s | tick error p50 / p99 ms | interval error p50 / p99 ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of results) console.log(`| ${r.pacing} | ${f(r.cpuMsPerS, 2)} | ${f(r.ticksPerS, 2)} | ${f(r.tickErrorP50)} / ${f(r.tickErrorP99)} | ${f(r.intervalErrorP50)} / ${f(r.intervalErrorP99)} |`);
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
