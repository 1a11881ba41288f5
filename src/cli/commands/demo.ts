import type { Argv, ArgumentsCamelCase } from 'yargs';
import { clientArgs, withClientOptions, withServerOptions } from '../options.js';
import { createSession, newClientId, startSession } from '../connect.js';
import { requireInteractiveTerminal, runTerminalView } from '../terminal.js';
import { viewArgs, withViewOptions } from '../view-options.js';
import { browserUrl, mosquittoSubCommand, startServerPreferringPorts } from '../server-runner.js';
import { startBotPlayer } from '../../bot/bot-player.js';
import { BOT_LEVEL_NAMES, BOT_LEVELS, type BotLevel } from '../../bot/levels.js';

export const command = 'demo';
export const describe = 'You against a bot: server, embedded broker and bot in one process';

export function builder(yargs: Argv) {
  return withViewOptions(withServerOptions(withClientOptions(yargs)))
    .option('level', {
      type: 'string',
      choices: BOT_LEVEL_NAMES,
      describe: `The bot's level: ${BOT_LEVEL_NAMES.map((name) => `${name} (skill ${BOT_LEVELS[name]})`).join(', ')}`,
    })
    .option('skill', { type: 'number', describe: 'The bot\'s skill, 0 to 1 (default: --level medium)' })
    .check((argv) => {
      if (argv.skill !== undefined && argv.level !== undefined) throw new Error('give --level or --skill, not both');
      if (argv.skill !== undefined && !(argv.skill >= 0 && argv.skill <= 1)) {
        throw new Error(`invalid --skill '${argv.skill}': expected a number from 0 to 1`);
      }
      return true;
    })
    .example('$0 demo', 'play over MQTT on an embedded broker')
    .example('$0 demo --level hard --bell', 'a bot that rarely misses; the bell rings on every point')
    .example('$0 demo -t webrtc --skill 0.9', 'a bot of any skill, over WebRTC data channels');
}

type DemoArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

export async function handler(argv: DemoArgs): Promise<void> {
  const args = clientArgs(argv);
  requireInteractiveTerminal('demo');
  // Every transport is served: the printed mosquitto_sub line works whatever you play over, and
  // the printed browser page can join over any of them.
  const server = await startServerPreferringPorts({
    transports: ['mqtt', 'ws', 'socketio', 'webrtc'],
    host: argv.host,
    port: argv.port,
    mqttPort: argv.mqttPort,
    fps: argv.fps,
    pointsToWin: argv.points,
    games: [args.game],
  });
  const urls = { brokerUrl: server.mqttUrl ?? args.broker, serverUrl: server.httpUrl ?? args.server };
  const watchLine = mosquittoSubCommand(urls.brokerUrl, args.game);
  const page = server.httpUrl !== null ? browserUrl(server.httpUrl, `/?game=${args.game}&watch`) : null;
  process.stdout.write(
    `pong demo: ${server.describe().join(', ')}\nwatch this game from another terminal:\n  ${watchLine}\n${page !== null ? `or in a browser:\n  ${page}\n` : ''}`,
  );

  const botSession = createSession(args, { kind: 'player', player: 2 }, newClientId('bot2'), urls);
  const you = createSession(args, { kind: 'player', player: 1 }, newClientId('p1'), urls);
  try {
    await startSession(botSession, args);
    const skill = argv.skill ?? BOT_LEVELS[(argv.level as BotLevel | undefined) ?? 'medium'];
    const bot = startBotPlayer(botSession, { skill, forever: true });
    await startSession(you, args);
    await runTerminalView(you, 'play', `watch: ${watchLine}`, viewArgs(argv));
    bot.stop();
  } finally {
    await you.close().catch(() => {});
    await botSession.close().catch(() => {});
    await server.stop();
  }
}
