import type { Argv, ArgumentsCamelCase } from 'yargs';
import { checkPort, checkRange, parseTransportList, withServerOptions, checkUrl } from '../options.js';
import { CliError } from '../errors.js';
import { defaultStateFile } from '../server-state-file.js';
import { browserLines, mosquittoSubCommand, startServer } from '../server-runner.js';
import { networkConditions, withNetworkOptions } from '../network-options.js';
import { DEFAULT_GAME_ID } from '../../protocol/constants.js';
import { mqttSecurity, serverTls, withServerSecurityOptions } from '../security-options.js';
import { startGatewayReports } from '../../server/gateway-report.js';
import { DEFAULT_CLIENT_LIMITS } from '../../transports/limits.js';
import { DEFAULT_MAX_ROOMS, DEFAULT_ROOM_IDLE_MS, DEFAULT_ROOMS_PER_ADDRESS, DEFAULT_ROOMS_PER_CLIENT } from '../../game/rooms.js';

export const command = 'serve';
export const describe = 'Run the authoritative game server (and an embedded MQTT broker)';

export function builder(yargs: Argv) {
  return withServerSecurityOptions(withNetworkOptions(withServerOptions(yargs)))
    .option('transport', {
      alias: 't',
      type: 'string',
      default: 'mqtt',
      describe: 'Transports to serve: mqtt, ws, socketio, webrtc, a comma list, or all',
    })
    .option('broker', { type: 'string', describe: 'Use this external MQTT broker instead of embedding one (mqtt://host:port)' })
    .option('mqtt-ws-port', {
      type: 'number',
      describe: 'Embedded broker: MQTT over WebSocket on this port too, at / and /mqtt (the classic demo\'s page uses 9001); it is always at /mqtt on --port',
    })
    .option('game', { alias: 'g', type: 'string', array: true, default: [DEFAULT_GAME_ID] as string[], describe: 'Games to open at start (others open on first join)' })
    .option('ice', { type: 'string', array: true, default: [] as string[], describe: 'webrtc: add an ICE server (stun:host:port), repeatable' })
    .option('forfeit-after', {
      type: 'number',
      default: 60,
      describe: 'Seconds a dropped player has to come back before the other wins by forfeit',
    })
    .option('state-file', {
      type: 'string',
      describe: 'Save games in progress here and resume them on restart ("none": do not save). Default: one file per address under ~/.local/state/pong',
    })
    .option('cluster', {
      type: 'string',
      describe: 'Run as one node of a cluster sharing this Redis (redis://host:port): any node serves any game, with failover',
    })
    .option('node-id', { type: 'string', describe: 'This node\'s name in the cluster (default: random)' })
    .option('advertise', { type: 'string', describe: 'The address clients should use for this node (told to the cluster)' })
    .option('max-connections-per-address', {
      type: 'number',
      default: DEFAULT_CLIENT_LIMITS.connectionsPerAddress,
      describe: 'Connections one address may hold open on each transport (a class behind one NAT needs more)',
    })
    .option('rooms-per-address', {
      type: 'number',
      default: DEFAULT_ROOMS_PER_ADDRESS,
      describe: 'Games the clients of one address may have opened that are still open',
    })
    .option('rooms-per-client', { type: 'number', default: DEFAULT_ROOMS_PER_CLIENT, describe: 'Games one client may have opened that are still open' })
    .option('max-rooms', { type: 'number', default: DEFAULT_MAX_ROOMS, describe: 'Games open at once on this server' })
    .option('room-idle', {
      type: 'number',
      default: DEFAULT_ROOM_IDLE_MS / 1000,
      describe: 'Seconds after which a game nobody is in or watching closes (the --game ones stay)',
    })
    .check((argv) => {
      parseTransportList(String(argv.transport));
      checkRange('--forfeit-after', argv.forfeitAfter, 1, 86_400);
      checkRange('--max-connections-per-address', argv.maxConnectionsPerAddress, 1, 100_000);
      checkRange('--rooms-per-address', argv.roomsPerAddress, 1, 100_000);
      checkRange('--rooms-per-client', argv.roomsPerClient, 1, 100_000);
      checkRange('--max-rooms', argv.maxRooms, 1, 100_000);
      checkRange('--room-idle', argv.roomIdle, 1, 86_400);
      if (argv.broker !== undefined) checkUrl('--broker', String(argv.broker), ['mqtt:', 'mqtts:', 'tcp:']);
      if (argv.cluster !== undefined) checkUrl('--cluster', String(argv.cluster), ['redis:', 'rediss:']);
      if (argv.nodeId !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(String(argv.nodeId))) {
        throw new CliError('--node-id: 1 to 64 letters, digits, dots, dashes or underscores', 2);
      }
      if ((argv.nodeId !== undefined || argv.advertise !== undefined) && argv.cluster === undefined) {
        throw new CliError('--node-id and --advertise are for cluster mode: add --cluster redis://host:port', 2);
      }
      if (argv.mqttWsPort !== undefined) {
        checkPort('--mqtt-ws-port', argv.mqttWsPort);
        if (argv.broker !== undefined) throw new CliError('--mqtt-ws-port is for the embedded broker: with --broker, give your broker a websockets listener (see the README)', 2);
        if (!parseTransportList(String(argv.transport)).includes('mqtt')) throw new CliError('--mqtt-ws-port serves MQTT: add mqtt to --transport', 2);
      }
      return true;
    })
    .example('$0 serve', 'embedded broker on 1883, game "demo" open')
    .example('$0 serve --transport all', 'MQTT, ws, Socket.io and WebRTC at once')
    .example('$0 serve --broker mqtt://127.0.0.1:1883', 'use a running Mosquitto')
    .example('$0 serve --mqtt-ws-port 9001', 'MQTT over WebSocket where the classic demo\'s page connects')
    .example('$0 serve --host 0.0.0.0 -t ws,mqtt', 'reachable from your LAN')
    .example('$0 serve --forfeit-after 30 --state-file ./pong-state.json', 'shorter grace for dropped players, games saved in ./')
    .example('$0 serve --cluster redis://127.0.0.1:6379 --port 8081 --mqtt-port 1884', 'one node of a cluster (start several, see the README)')
    .example('$0 serve --host 0.0.0.0 --max-connections-per-address 200', 'a classroom whose laptops share one NAT address');
}

type ServeArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

export async function handler(argv: ServeArgs): Promise<void> {
  const transports = parseTransportList(String(argv.transport));
  const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
  const stateFile =
    argv.cluster !== undefined
      ? null
      : argv.stateFile === undefined
      ? defaultStateFile({ transports, host: argv.host, port: argv.port, mqttPort: argv.mqttPort, broker: argv.broker })
      : argv.stateFile === 'none'
        ? null
        : argv.stateFile;
  const server = await startServer({
    transports,
    host: argv.host,
    port: argv.port,
    mqttPort: argv.mqttPort,
    ...(argv.broker !== undefined ? { brokerUrl: argv.broker } : {}),
    fps: argv.fps,
    pointsToWin: argv.points,
    games: argv.game,
    forfeitAfterMs: argv.forfeitAfter * 1000,
    limits: { connectionsPerAddress: argv.maxConnectionsPerAddress },
    rooms: { max: argv.maxRooms, perClient: argv.roomsPerClient, perAddress: argv.roomsPerAddress, idleMs: argv.roomIdle * 1000 },
    ...(stateFile !== null ? { stateFile } : {}),
    log,
    extra: { webrtc: { iceServers: argv.ice }, mqtt: { ...mqttSecurity(argv), ...(argv.mqttWsPort !== undefined ? { wsPort: argv.mqttWsPort } : {}) } },
    ...serverTls(argv),
    network: networkConditions(argv),
    ...(argv.cluster !== undefined
      ? {
          cluster: {
            url: argv.cluster,
            ...(argv.nodeId !== undefined ? { nodeId: argv.nodeId } : {}),
            ...(argv.advertise !== undefined ? { advertise: argv.advertise } : {}),
          },
        }
      : {}),
  });
  for (const line of server.describe()) log(`serving ${line}`);
  const node = server.cluster;
  if (node !== null) log(`cluster: node ${node.nodeId}, games kept in Redis at ${node.redis.url}`);
  else if (stateFile !== null) log(`games saved in ${stateFile}`);
  else log(argv.stateFile === 'none' ? 'games not saved (--state-file none)' : 'games not saved (no --state-file and an OS-chosen port)');
  const mqtt = server.mqttUrl;
  if (mqtt) log(`watch: ${mosquittoSubCommand(mqtt, argv.game[0] ?? DEFAULT_GAME_ID)}`);
  for (const line of browserLines(server.httpUrl, argv.game[0] ?? DEFAULT_GAME_ID)) log(line);
  startGatewayReports(server, transports, log);
  log('press Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('stopping');
  // Stopping waits for clients to be told and sockets to close; a stuck peer must not keep the
  // process alive, and a second Ctrl-C means now.
  const forced = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, STOP_DEADLINE_MS);
    timer.unref();
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.race([server.stop(), forced]);
}

const STOP_DEADLINE_MS = 3000;
