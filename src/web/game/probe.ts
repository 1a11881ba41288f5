/**
 * Whether a game exists before the page joins it (a join opens a game that does not): the
 * game's retained `state`, over the page's own connection. The connection stays open for the
 * session that follows; ConnectedClient lets that session start on it.
 */
import { topics } from '../../protocol/topics.js';
import type {
  ConnectionStatus,
  MessageHandler,
  PublishOptions,
  StatusHandler,
  TransportClient,
  TransportName,
  WillMessage,
  WireCounters,
} from '../../transports/transport.js';

/** Retained state comes right after the subscription; a game without one does not exist. */
const PROBE_WAIT_MS = 2_500;

export async function gameExists(client: TransportClient, gameId: string, waitMs = PROBE_WAIT_MS): Promise<boolean> {
  // Not the game's own topic: the session subscribes to that, and an unsubscribe of the same
  // filter just before may be applied after it (Aedes handles the two asynchronously), which
  // would leave the session without state. A wildcard is a filter of its own.
  const filter = topics.state('+');
  const wanted = topics.state(gameId);
  let resolveFound!: (found: boolean) => void;
  const found = new Promise<boolean>((resolve) => (resolveFound = resolve));
  const off = client.onMessage((topic, payload) => {
    if (topic === wanted && payload.length > 0) resolveFound(true);
  });
  client.subscribe(filter);
  try {
    if (client.status !== 'connected') await client.connect();
    const timer = setTimeout(() => resolveFound(false), waitMs);
    const exists = await found;
    clearTimeout(timer);
    return exists;
  } finally {
    off();
    // The session subscribes to the game's state, and the retained state comes again with it.
    if (client.status !== 'closed') client.unsubscribe(filter);
  }
}

/**
 * A client already connected, handed to a session as if it were not yet: its status is
 * `connecting` until the session calls connect(), which is then done rather than refused, so
 * the session announces itself (joins) as on any first connection.
 */
export class ConnectedClient implements TransportClient {
  private started = false;

  constructor(private readonly inner: TransportClient) {}

  get name(): TransportName {
    return this.inner.name;
  }

  get status(): ConnectionStatus {
    return this.started ? this.inner.status : 'connecting';
  }

  get wire(): Readonly<WireCounters> {
    return this.inner.wire;
  }

  connect(): Promise<void> {
    this.started = true;
    return this.inner.status === 'connected' ? Promise.resolve() : this.inner.connect();
  }

  publish(topic: string, payload: string, options?: PublishOptions): void {
    this.inner.publish(topic, payload, options);
  }

  subscribe(filter: string): void {
    this.inner.subscribe(filter);
  }

  unsubscribe(filter: string): void {
    this.inner.unsubscribe(filter);
  }

  onMessage(handler: MessageHandler): () => void {
    return this.inner.onMessage(handler);
  }

  onStatus(handler: StatusHandler): () => void {
    return this.inner.onStatus(handler);
  }

  setWill(will: WillMessage | null): void {
    this.inner.setWill(will);
  }

  setSeatToken(token: string | null): void {
    this.inner.setSeatToken(token);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
