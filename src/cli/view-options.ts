/**
 * Flags of the commands that show the game in this terminal (play, watch, demo).
 */
import type { Argv } from 'yargs';

export interface ViewArgs {
  raw: boolean;
  bell: boolean;
}

export function withViewOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('raw', {
      type: 'boolean',
      default: false,
      describe: 'Draw the server\'s frames as they arrive, without interpolation (to compare)',
    })
    .option('bell', { type: 'boolean', default: false, describe: 'Ring the terminal bell on every point' });
}

export function viewArgs(argv: Record<string, unknown>): ViewArgs {
  return { raw: argv.raw === true, bell: argv.bell === true };
}
