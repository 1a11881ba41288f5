import type { Argv, ArgumentsCamelCase } from 'yargs';
import {
  DEFAULT_BROKER_URL,
  DEFAULT_HOST,
  DEFAULT_HTTP_PORT,
  DEFAULT_MQTT_PORT,
  DEFAULT_SERVER_URL,
  clientArgs,
  withClientOptions,
  type ClientArgs,
} from '../options.js';
import { createSession, startSession } from '../connect.js';
import { requireInteractiveTerminal, runTerminalView } from '../terminal.js';
import { viewArgs, withViewOptions } from '../view-options.js';
import { CliError } from '../errors.js';
import { keepSeat, type SeatClaim } from '../seat-claim.js';
import { mosquittoSubCommand, startServer, startServerPreferringPorts } from '../server-runner.js';
import type { PongServer } from '../../server/server.js';
import type { PlayerNumber } from '../../protocol/messages.js';
import { clientSecurity, withClientSecurityOptions } from '../security-options.js';

export const command = 'play';
export const describe = 'Play a game in this terminal as player 1 or 2';

export function builder(yargs: Argv) {
  return withClientSecurityOptions(withViewOptions(withClientOptions(yargs)))
    .option('player', { alias: 'p', type: 'number', choices: [1, 2], default: 1, describe: 'Your seat' })
    .option('host-server', {
      type: 'boolean',
      default: true,
      describe: 'If nothing serves the default local address, host the game in this process',
    })
    .example('$0 play --player 1', 'join game "demo" over MQTT (hosts it if no server is running)')
    .example('$0 play -p 2 -t ws --server http://192.168.1.20:8080', 'join a LAN server over WebSocket')
    .example('$0 play -g friday -p 2 --broker mqtt://127.0.0.1:1883', 'join game "friday" on a Mosquitto broker')
    .example('$0 play --raw --bell', 'draw the server\'s frames unsmoothed; ring the bell on every point');
}

type PlayArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

export async function handler(argv: PlayArgs): Promise<void> {
  const args = { ...clientArgs(argv), ...clientSecurity(argv) };
  requireInteractiveTerminal('play');
  const player = argv.player as PlayerNumber;
  const keeper = keepSeat(args, player, `p${player}`);
  let session = createSession(args, { kind: 'player', player }, keeper.clientId);
  let seat: SeatClaim = keeper.claim(session);
  let hosted: PongServer | null = null;
  try {
    await startSession(session, args);
  } catch (error) {
    if (!(error instanceof CliError) || !argv.hostServer || !usesDefaultAddress(args)) throw error;
    // Nobody serves the default local address: host the game here, as the classic demo's
    // player 1 did, so two terminals and two commands make a game. Over MQTT the HTTP port only
    // carries MQTT over WebSocket, and may move if it is taken; the others' clients need it where it is.
    const hosting = {
      transports: [...new Set([args.transport, 'mqtt' as const])],
      host: DEFAULT_HOST,
      port: DEFAULT_HTTP_PORT,
      mqttPort: DEFAULT_MQTT_PORT,
      games: [args.game],
    };
    hosted = args.transport === 'mqtt' ? await startServerPreferringPorts(hosting, true) : await startServer(hosting);
    session = createSession(args, { kind: 'player', player }, keeper.clientId);
    seat = keeper.claim(session);
    await startSession(session, args);
  }
  const title = hosted?.mqttUrl ? `hosting · watch: ${mosquittoSubCommand(hosted.mqttUrl, args.game)}` : undefined;
  const playing = session;
  // Told the seat is someone else's: end the view, then say so on the terminal it gave back.
  const refusal = seat.refused.catch((error: unknown) => {
    playing.quit();
    return error;
  });
  try {
    await runTerminalView(session, 'play', title, viewArgs(argv));
  } finally {
    seat.release(session.getState().state);
    await session.close();
    await hosted?.stop();
  }
  const refused = await Promise.race([refusal, Promise.resolve(null)]);
  if (refused !== null) throw refused;
}

function usesDefaultAddress(argv: ClientArgs): boolean {
  return argv.transport === 'mqtt' ? argv.broker === DEFAULT_BROKER_URL : argv.server === DEFAULT_SERVER_URL;
}
