/**
 * --delay, --jitter and --loss: simulated network conditions at the server's gateways (see
 * src/bus/conditioned-bus.ts), shared by serve, compare and bench so they read alike.
 */
import type { Argv } from 'yargs';
import type { NetworkConditions } from '../bus/conditioned-bus.js';
import { checkRange } from './options.js';

export function withNetworkOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('delay', {
      type: 'number',
      default: 0,
      describe: 'Simulated one-way delay at the server, ms, each direction',
    })
    .option('jitter', {
      type: 'number',
      default: 0,
      describe: 'Each message delayed by --delay ± up to this many ms (uniform); TCP transports keep order, so a slow message holds the next back',
    })
    .option('loss', {
      type: 'number',
      default: 0,
      describe: 'Percent of messages lost: retransmitted after a timeout (≥ 200 ms) on TCP transports, gone on the WebRTC unreliable channel',
    })
    .check((argv) => {
      checkRange('--delay', argv.delay, 0, 10_000);
      checkRange('--jitter', argv.jitter, 0, 10_000);
      checkRange('--loss', argv.loss, 0, 100);
      return true;
    });
}

/** The conditions the flags ask for, or undefined when they ask for none. */
export function networkConditions(argv: { delay?: number; jitter?: number; loss?: number }): NetworkConditions | undefined {
  const conditions = { delayMs: argv.delay ?? 0, jitterMs: argv.jitter ?? 0, lossPct: argv.loss ?? 0 };
  return conditions.delayMs > 0 || conditions.jitterMs > 0 || conditions.lossPct > 0 ? conditions : undefined;
}

/** The same flags for a `pong serve` child process. */
export function networkArgs(conditions: NetworkConditions | undefined): string[] {
  if (conditions === undefined) return [];
  return ['--delay', String(conditions.delayMs), '--jitter', String(conditions.jitterMs), '--loss', String(conditions.lossPct)];
}
