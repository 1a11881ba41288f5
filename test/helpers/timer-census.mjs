/**
 * Loaded into a `pong serve` under test (NODE_OPTIONS=--import): keeps every live Node timer
 * with where it was set, and prints them as one line, `TIMERS <json>`, on SIGUSR2. What a
 * server holds while nobody is connected is what wakes it.
 */
import { createHook } from 'node:async_hooks';
import { writeSync } from 'node:fs';

const live = new Map();
const origin = () =>
  new Error().stack
    .split('\n')
    .slice(2)
    .map((line) => line.trim())
    .find((line) => !line.includes('timer-census') && !line.includes('node:timers') && !line.includes('node:internal/')) ?? 'unknown';

createHook({
  init(id, type, _trigger, resource) {
    if (type === 'Timeout') live.set(id, { resource, origin: origin() });
  },
  destroy(id) {
    live.delete(id);
  },
}).enable();

process.on('SIGUSR2', () => {
  const timers = [...live.values()]
    .filter(({ resource }) => resource._idleTimeout > 0 && !resource._destroyed)
    .map(({ resource, origin }) => ({ ms: resource._idleTimeout, repeats: resource._repeat !== null, origin }));
  writeSync(2, `TIMERS ${JSON.stringify(timers)}\n`);
});
