/** Entry of a floor's echo process (see floors/echo.ts). */
import type { RtcPeer } from '../transports/webrtc/peer.js';
import { aedesEcho, brokerEcho, socketIoEcho, webrtcEcho, wsEcho, type Echo } from './floors/echo.js';
import type { FloorFromChild, FloorToChild } from './floors/floor-ipc.js';

const send = (message: FloorFromChild) => process.send?.(message);
let echo: Echo | null = null;
let peer: RtcPeer | null = null;

const close = async (): Promise<never> => {
  await echo?.stop().catch(() => {});
  process.exit(0);
};
process.once('disconnect', () => void close());

process.on('message', (message: FloorToChild) => {
  switch (message.type) {
    case 'floor': {
      const start: Promise<Echo> =
        message.transport === 'ws'
          ? wsEcho()
          : message.transport === 'socketio'
            ? socketIoEcho()
            : message.transport === 'mqtt'
              ? message.brokerUrl !== undefined
                ? brokerEcho(message.brokerUrl)
                : aedesEcho()
              : Promise.resolve(
                  (() => {
                    const pair = webrtcEcho((signal) => send({ type: 'signal', signal }));
                    peer = pair.peer;
                    return pair.echo;
                  })(),
                );
      start.then(
        (started) => {
          echo = started;
          send({ type: 'ready', url: started.url });
        },
        (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    case 'signal':
      try {
        if (message.signal.kind === 'description') peer?.setRemoteDescription(message.signal.sdp, message.signal.type as 'offer');
        else peer?.addRemoteCandidate(message.signal.candidate, message.signal.mid);
      } catch (error) {
        send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
      return;
    case 'close':
      void close();
      return;
  }
});
