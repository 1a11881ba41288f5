import type { Argv, ArgumentsCamelCase } from 'yargs';
import { clientArgs, withClientOptions } from '../options.js';
import { createSession, newClientId, startSession } from '../connect.js';
import { requireInteractiveTerminal, runTerminalView } from '../terminal.js';
import { viewArgs, withViewOptions } from '../view-options.js';
import { clientSecurity, withClientSecurityOptions } from '../security-options.js';

export const command = 'watch';
export const describe = 'Watch a game live, with this connection\'s latency';

export function builder(yargs: Argv) {
  return withClientSecurityOptions(withViewOptions(withClientOptions(yargs)))
    .example('$0 watch', 'watch game "demo" over MQTT')
    .example('$0 watch -t webrtc', 'the same game over a WebRTC data channel')
    .example('$0 watch --raw', 'the frames as they arrive, without interpolation');
}

type WatchArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

export async function handler(argv: WatchArgs): Promise<void> {
  const args = { ...clientArgs(argv), ...clientSecurity(argv) };
  requireInteractiveTerminal('watch');
  const session = createSession(args, { kind: 'spectator' }, newClientId('watch'));
  await startSession(session, args);
  try {
    await runTerminalView(session, 'watch', undefined, viewArgs(argv));
  } finally {
    await session.close();
  }
}
