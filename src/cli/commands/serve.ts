import type { Argv, ArgumentsCamelCase } from 'yargs';
import { parseTransportList, withServerOptions, checkUrl } from '../options.js';
import { mosquittoSubCommand, startServer } from '../server-runner.js';
import { DEFAULT_GAME_ID } from '../../protocol/constants.js';

export const command = 'serve';
export const describe = 'Run the authoritative game server (and an embedded MQTT broker)';

export function builder(yargs: Argv) {
  return withServerOptions(yargs)
    .option('transport', {
      alias: 't',
      type: 'string',
      default: 'mqtt',
      describe: 'Transports to serve: mqtt, ws, socketio, webrtc, a comma list, or all',
    })
    .option('broker', { type: 'string', describe: 'Use this external MQTT broker instead of embedding one (mqtt://host:port)' })
    .option('game', { alias: 'g', type: 'string', array: true, default: [DEFAULT_GAME_ID] as string[], describe: 'Games to open at start (others open on first join)' })
    .option('ice', { type: 'string', array: true, default: [] as string[], describe: 'webrtc: add an ICE server (stun:host:port), repeatable' })
    .check((argv) => {
      parseTransportList(String(argv.transport));
      if (argv.broker !== undefined) checkUrl('--broker', String(argv.broker), ['mqtt:', 'mqtts:', 'tcp:']);
      return true;
    })
    .example('$0 serve', 'embedded broker on 1883, game "demo" open')
    .example('$0 serve --transport all', 'MQTT, ws, Socket.io and WebRTC at once')
    .example('$0 serve --broker mqtt://127.0.0.1:1883', 'use a running Mosquitto')
    .example('$0 serve --host 0.0.0.0 -t ws,mqtt', 'reachable from your LAN');
}

type ServeArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

export async function handler(argv: ServeArgs): Promise<void> {
  const transports = parseTransportList(String(argv.transport));
  const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
  const server = await startServer({
    transports,
    host: argv.host,
    port: argv.port,
    mqttPort: argv.mqttPort,
    ...(argv.broker !== undefined ? { brokerUrl: argv.broker } : {}),
    fps: argv.fps,
    pointsToWin: argv.points,
    games: argv.game,
    log,
    extra: { webrtc: { iceServers: argv.ice } },
  });
  for (const line of server.describe()) log(`serving ${line}`);
  const mqtt = server.mqttUrl;
  if (mqtt) log(`watch: ${mosquittoSubCommand(mqtt, argv.game[0] ?? DEFAULT_GAME_ID)}`);
  log('press Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('stopping');
  await server.stop();
}
