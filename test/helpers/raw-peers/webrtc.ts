/**
 * A bare WebRTC peer as docs/PROTOCOL.md describes one: JSON signaling messages on a WebSocket
 * at /rtc, one offer with the `reliable` and `unreliable` data channels, and the ws text frames
 * on them. The native peer is the project's thin wrapper around node-datachannel (the one
 * module that imports it); the negotiation and the frames are written out here.
 */
import { WebSocket } from 'ws';
import { createPeer, type RtcChannel, type RtcPeer } from '../../../src/transports/webrtc/peer.js';
import { endSignal, type PeerConnector, type PublishFlags, type RawPeer, type RefusalProbe } from './raw-peer.js';

const NEGOTIATION = 1;

function flagsOf({ qos = 0, retain = false }: PublishFlags): string {
  if (qos === 0 && !retain) return '-';
  return `${qos === 1 ? 'q1' : ''}${retain ? 'r' : ''}`;
}

function signalingUrl(url: string, clientId: string | null): string {
  const query = clientId === null ? '' : `?clientId=${encodeURIComponent(clientId)}`;
  return `${url.replace(/^http/, 'ws')}/rtc${query}`;
}

function openSignaling(url: string, clientId: string | null): Promise<WebSocket> {
  const ws = new WebSocket(signalingUrl(url, clientId), { perMessageDeflate: false });
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

export const connectWebRtcPeer: PeerConnector = async (url, clientId, options = {}) => {
  const signaling = await openSignaling(url, clientId);
  const messages: Array<[string, string]> = [];
  const refusals: string[] = [];
  const { ended, end } = endSignal();
  const send = (message: object) => {
    if (signaling.readyState === WebSocket.OPEN) signaling.send(JSON.stringify(message));
  };
  // Ours wait for the answer (see PROTOCOL.md); the server's may come before it.
  const heldCandidates: Array<{ candidate: string; mid: string }> = [];
  const earlyCandidates: Array<{ candidate: string; mid: string }> = [];
  let described = false;
  let opened = 0;
  let channelsOpen!: () => void;
  const bothOpen = new Promise<void>((resolve) => {
    channelsOpen = resolve;
  });
  const onFrame = (text: string) => {
    const newline = text.indexOf('\n');
    if (text.startsWith('msg ')) messages.push([text.slice(4, newline), text.slice(newline + 1)]);
    else if (text.startsWith('err ')) refusals.push(text.slice(4));
  };
  const peer: RtcPeer = createPeer(`raw-${clientId ?? 'anonymous'}`, { iceServers: [] }, {
    onLocalDescription: (sdp, type) => {
      if (type === 'offer') send({ type: 'offer', id: NEGOTIATION, sdp });
    },
    onLocalCandidate: (candidate, mid) => {
      if (described) send({ type: 'candidate', id: NEGOTIATION, candidate, mid });
      else heldCandidates.push({ candidate, mid });
    },
    onStateChange: (state) => {
      if (state === 'failed' || state === 'closed') end(`peer ${state}`);
    },
  });
  const channel = (label: string, reliable: boolean): RtcChannel =>
    peer.createChannel(label, { reliable }, {
      onOpen: () => {
        opened += 1;
        if (opened === 2) channelsOpen();
      },
      onMessage: onFrame,
      onClose: () => end(`${label} channel closed`),
    });
  const reliable = channel('reliable', true);
  const unreliable = channel('unreliable', false);
  signaling.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; sdp?: string; candidate?: string; mid?: string; message?: string };
    if (message.type === 'answer' && !described) {
      peer.setRemoteDescription(message.sdp!, 'answer');
      described = true;
      for (const held of heldCandidates.splice(0)) send({ type: 'candidate', id: NEGOTIATION, ...held });
      for (const early of earlyCandidates.splice(0)) peer.addRemoteCandidate(early.candidate, early.mid);
    } else if (message.type === 'candidate') {
      if (described) peer.addRemoteCandidate(message.candidate!, message.mid!);
      else earlyCandidates.push({ candidate: message.candidate!, mid: message.mid! });
    } else if (message.type === 'error') {
      refusals.push(`signal ${message.message!}`);
    }
  });
  signaling.on('close', (code, reason) => {
    end(`signaling ${code} ${reason.toString()}`.trimEnd());
    void peer.close();
  });
  await bothOpen;
  const { will } = options;
  if (will) reliable.send(`will ${will.topic} ${flagsOf(will)}\n${will.payload}`);
  const raw: RawPeer = {
    publish: (topic, payload, flags = {}) => {
      const latestWins = (flags.qos ?? 0) === 0 && flags.retain !== true;
      (latestWins ? unreliable : reliable).send(`pub ${topic} ${flagsOf(flags)}\n${payload}`);
    },
    subscribe: (filter) => reliable.send(`sub ${filter}`),
    messages,
    refusals,
    ended,
    sendOversized: () => {
      throw new Error('WebRTC has no frame bound of its own: SCTP refuses a message over its maximum at the sender');
    },
    drop: () => {
      signaling.terminate();
      void peer.close();
    },
    close: async () => {
      send({ type: 'bye' });
      signaling.close(1000);
      await ended;
      await peer.close();
    },
  };
  return raw;
};

/** A refused signaling connection: a signaling error naming the reason, then the close. */
export const webRtcRefusal: RefusalProbe = (url, clientId) =>
  new Promise((resolve) => {
    // Listening from the start: the error may come in the same read as the upgrade's answer.
    const ws = new WebSocket(signalingUrl(url, clientId), { perMessageDeflate: false });
    const said: string[] = [];
    ws.on('error', () => undefined);
    ws.on('message', (data) => said.push(`signal ${String((JSON.parse(data.toString()) as { message?: string }).message)}`));
    ws.on('close', (code, reason) => resolve(`${said.join(', ')}, then close ${code} ${reason.toString()}`));
  });
