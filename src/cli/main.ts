/**
 * The `pong` command line: parses flags, runs one command, and turns every failure into one
 * line on stderr and a non-zero exit.
 */
import yargs from 'yargs';
import * as serve from './commands/serve.js';
import * as play from './commands/play.js';
import * as watch from './commands/watch.js';
import * as bot from './commands/bot.js';
import * as demo from './commands/demo.js';
import * as compare from './commands/compare.js';
import * as bench from './commands/bench.js';
import { CliError, exitWithError } from './errors.js';

/** Commands this CLI knows, for the seed's `npm run dev -- --player 1` form. */
const COMMANDS = ['serve', 'play', 'watch', 'bot', 'demo', 'compare', 'bench'];

export async function main(argv: readonly string[]): Promise<void> {
  process.on('uncaughtException', exitWithError);
  process.on('unhandledRejection', exitWithError);
  const args = [...argv];
  // `pong --player 1 --game demo` (no command) means play, as in the classic demo.
  if (args.length > 0 && args[0]!.startsWith('-') && !['--help', '-h', '--version'].includes(args[0]!)) args.unshift('play');
  try {
    await yargs(args)
      .scriptName('pong')
      .usage('$0 <command> [options]\n\nTerminal multiplayer Pong over MQTT, WebSocket, Socket.io and WebRTC.')
      .command(serve)
      .command(play)
      .command(watch)
      .command(bot)
      .command(demo)
      .command(compare)
      .command(bench)
      .demandCommand(1, `name a command: ${COMMANDS.join(', ')}`)
      .strict()
      .recommendCommands()
      .help()
      .alias('h', 'help')
      .wrap(Math.min(100, process.stdout.columns || 100))
      .fail((message, error) => {
        if (error instanceof CliError) throw error;
        // yargs words some messages over several lines; a person gets one.
        const text = (message ?? error?.message ?? 'invalid arguments').replace(/\s*\n\s*/g, ' ');
        throw new CliError(`${text} (see pong --help)`, 2);
      })
      .parseAsync();
  } catch (error) {
    exitWithError(error);
  }
  // Native handles (WebRTC) and lingering sockets must not keep a finished command alive.
  process.exit(process.exitCode ?? 0);
}
