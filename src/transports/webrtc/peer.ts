/**
 * The only module that imports node-datachannel. Everything else in the WebRTC transport sees
 * this small surface, so the native binding can be swapped (or faked) in one place.
 *
 * node-datachannel keeps the process alive through thread-safe callbacks that it releases only
 * when (a) the peer connection reports its 'closed' state to a registered onStateChange and
 * JS has called close(), and (b) every data channel reports 'closed' to a registered onClosed.
 * This wrapper always registers both and always closes the native peer, which is why a process
 * that closes its peers exits without a global cleanup().
 */
import nodeDataChannel from 'node-datachannel';
import type { DataChannel, PeerConnection } from 'node-datachannel';

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type DescriptionType = 'offer' | 'answer';

export interface ChannelReliability {
  /** false: unordered with no retransmissions, for latest-wins data. */
  reliable: boolean;
}

export interface ChannelEvents {
  onOpen?(): void;
  onMessage(text: string): void;
  onClose?(): void;
}

export interface RtcChannel {
  readonly label: string;
  readonly isOpen: boolean;
  /** Bytes queued in the SCTP stack, not yet sent. */
  readonly bufferedAmount: number;
  /** false when the channel is not open or the native send refused the message. */
  send(text: string): boolean;
}

export interface PeerEvents {
  onLocalDescription(sdp: string, type: DescriptionType): void;
  onLocalCandidate(candidate: string, mid: string): void;
  onStateChange(state: PeerState): void;
  onIceStateChange?(state: string): void;
  /** A channel the remote side opened; return its handlers, or null to refuse it. */
  onRemoteChannel?(channel: RtcChannel): ChannelEvents | null;
}

export interface PeerConfig {
  /** 'stun:host:port', 'turn:user:pass@host:port', ...; empty for host candidates only. */
  iceServers: readonly string[];
}

export interface RtcPeer {
  createChannel(label: string, reliability: ChannelReliability, events: ChannelEvents): RtcChannel;
  /** Throws on an SDP the native stack rejects. */
  setRemoteDescription(sdp: string, type: DescriptionType): void;
  /** Throws on a candidate the native stack rejects (or before the remote description). */
  addRemoteCandidate(candidate: string, mid: string): void;
  /** Data-channel message bytes (our framing included), as counted by the SCTP transport. */
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly closed: boolean;
  /** Closes channels and peer; resolves once the native side has released its callbacks. */
  close(): Promise<void>;
}

const PEER_STATES: ReadonlySet<string> = new Set<PeerState>(['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed']);
/** A native close that never reports back must not hold close() up. */
const CLOSE_WAIT_MS = 2_000;

export function createPeer(name: string, config: PeerConfig, events: PeerEvents): RtcPeer {
  return new NativePeer(name, config, events);
}

class NativeChannel implements RtcChannel {
  readonly label: string;
  private open = false;
  private ended = false;

  constructor(
    private readonly native: DataChannel,
    private readonly isLive: () => boolean,
  ) {
    this.label = native.getLabel();
    this.open = native.isOpen();
  }

  /** null: nobody listens, but onClosed is still needed for the native side to let go. */
  bind(events: ChannelEvents | null): void {
    this.native.onClosed(() => {
      this.open = false;
      if (this.ended) return;
      this.ended = true;
      if (this.isLive()) events?.onClose?.();
    });
    if (events === null) return;
    this.native.onOpen(() => {
      this.open = true;
      if (this.isLive()) events.onOpen?.();
    });
    this.native.onMessage((message) => {
      if (!this.isLive()) return;
      events.onMessage(typeof message === 'string' ? message : Buffer.from(message as ArrayBuffer).toString('utf8'));
    });
    this.native.onError(() => {
      // libdatachannel follows a channel error with onClosed, which reports it.
    });
  }

  get isOpen(): boolean {
    return this.open && !this.ended;
  }

  get bufferedAmount(): number {
    if (!this.isOpen) return 0;
    try {
      return this.native.bufferedAmount();
    } catch {
      return 0;
    }
  }

  send(text: string): boolean {
    if (!this.isOpen) return false;
    try {
      return this.native.sendMessage(text);
    } catch {
      // The channel closed between the check and the send; onClosed follows.
      return false;
    }
  }

  close(): void {
    this.ended = true;
    this.open = false;
    try {
      this.native.close();
    } catch {
      // Already closed natively.
    }
  }
}

class NativePeer implements RtcPeer {
  private readonly pc: PeerConnection;
  private readonly channels: NativeChannel[] = [];
  private isClosed = false;
  private finalBytes: { sent: number; received: number } | null = null;
  private nativeClosed: Promise<void>;
  private markNativeClosed!: () => void;

  constructor(name: string, config: PeerConfig, events: PeerEvents) {
    this.nativeClosed = new Promise((resolve) => {
      this.markNativeClosed = resolve;
    });
    this.pc = new nodeDataChannel.PeerConnection(name, { iceServers: [...config.iceServers] });
    const live = () => !this.isClosed;
    this.pc.onStateChange((state) => {
      if (state === 'closed') this.markNativeClosed();
      if (live() && PEER_STATES.has(state)) events.onStateChange(state as PeerState);
    });
    this.pc.onIceStateChange((state) => {
      if (live()) events.onIceStateChange?.(state);
    });
    this.pc.onLocalDescription((sdp, type) => {
      if (live() && (type === 'offer' || type === 'answer')) events.onLocalDescription(sdp, type);
    });
    this.pc.onLocalCandidate((candidate, mid) => {
      if (live()) events.onLocalCandidate(candidate, mid);
    });
    this.pc.onDataChannel((native) => {
      const channel = new NativeChannel(native, live);
      this.channels.push(channel);
      const handlers = live() ? (events.onRemoteChannel?.(channel) ?? null) : null;
      channel.bind(handlers);
      if (handlers === null) channel.close();
    });
  }

  createChannel(label: string, reliability: ChannelReliability, events: ChannelEvents): RtcChannel {
    const init = reliability.reliable ? {} : { unordered: true, maxRetransmits: 0 };
    const channel = new NativeChannel(this.pc.createDataChannel(label, init), () => !this.isClosed);
    this.channels.push(channel);
    channel.bind(events);
    return channel;
  }

  setRemoteDescription(sdp: string, type: DescriptionType): void {
    this.pc.setRemoteDescription(sdp, type);
  }

  addRemoteCandidate(candidate: string, mid: string): void {
    this.pc.addRemoteCandidate(candidate, mid);
  }

  get bytesSent(): number {
    return this.finalBytes?.sent ?? this.nativeCount(() => this.pc.bytesSent());
  }

  get bytesReceived(): number {
    return this.finalBytes?.received ?? this.nativeCount(() => this.pc.bytesReceived());
  }

  /** 0 rather than a throw from a peer the native side has already torn down. */
  private nativeCount(read: () => number): number {
    try {
      return read();
    } catch {
      return 0;
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  async close(): Promise<void> {
    if (this.isClosed) return this.nativeClosed;
    this.isClosed = true;
    // The native counters are gone once the peer is destroyed.
    this.finalBytes = { sent: this.bytesSent, received: this.bytesReceived };
    for (const channel of this.channels) channel.close();
    this.pc.close();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([this.nativeClosed, timeout]);
    clearTimeout(timer);
  }
}
