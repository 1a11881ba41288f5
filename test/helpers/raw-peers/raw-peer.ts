/**
 * A client that speaks one transport's wire protocol directly, as a program in another language
 * would (docs/PROTOCOL.md), with no pong client code: what the gateway contract drives every
 * gateway with. Each transport's peer reports what its transport says, in that transport's words.
 */

export interface PublishFlags {
  qos?: 0 | 1;
  retain?: boolean;
}

export interface PeerWill {
  topic: string;
  payload: string;
  qos: 0 | 1;
}

export interface PeerOptions {
  /** Registered on connecting (MQTT can only take it there); the others send it right after. */
  will?: PeerWill;
}

export interface RawPeer {
  publish(topic: string, payload: string, flags?: PublishFlags): void;
  subscribe(filter: string): void;
  /** What arrived, as topic and payload. */
  readonly messages: ReadonlyArray<readonly [string, string]>;
  /**
   * What the transport said when it refused something this peer sent, one line each: ws and
   * WebRTC `err` frames and Socket.io `err` events as `<reason> <detail>`, a WebRTC signaling
   * error as `signal <message>`, an MQTT subscription the broker refused as `suback <filter> (<why>)`.
   */
  readonly refusals: readonly string[];
  /** Resolves once the connection has ended, with how, in the transport's words (e.g. `close 1008 rate-limit`). */
  readonly ended: Promise<string>;
  /** Sends one frame, event or packet larger than the transport lets a client send. */
  sendOversized(): void;
  /** The connection cut with no goodbye, as a crash or a pulled cable would. */
  drop(): void;
  /** A clean close: the goodbye the protocol asks for, then the close. */
  close(): Promise<void>;
}

/** Connects a peer of one transport to a started gateway. */
export type PeerConnector = (url: string, clientId: string | null, options?: PeerOptions) => Promise<RawPeer>;

/**
 * Connects with a client id and resolves with what the transport answered as it refused the
 * connection. A connection that is accepted does not resolve (the test fails on its timeout).
 */
export type RefusalProbe = (url: string, clientId: string) => Promise<string>;

/** Settles once: the first way a connection ended is the one reported. */
export function endSignal(): { ended: Promise<string>; end: (how: string) => void } {
  let end!: (how: string) => void;
  const ended = new Promise<string>((resolve) => {
    end = resolve;
  });
  return { ended, end };
}
