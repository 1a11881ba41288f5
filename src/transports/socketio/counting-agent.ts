/**
 * An http.Agent that counts the bytes of every TCP connection it opens. Engine.io-client hands
 * its `agent` option both to the `ws` WebSocket and to the long-polling XMLHttpRequests, so
 * one agent sees every connection the Socket.io client makes, whichever transport it uses,
 * across reconnects and upgrades: the counts are the sockets' own bytesRead/bytesWritten,
 * HTTP headers, WebSocket framing and engine.io pings included.
 */
import { Agent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export class CountingAgent extends Agent {
  private readonly live = new Set<Socket>();
  private closedBytesIn = 0;
  private closedBytesOut = 0;
  /** For https/wss servers: connections are opened the way an https.Agent opens them. */
  private readonly tls: https.Agent | null;

  constructor(options: AgentOptions & https.AgentOptions = {}, secure = false) {
    super(options);
    this.tls = secure ? new https.Agent(options) : null;
    // Node checks an agent's protocol against the request's; ours is whichever we open.
    if (secure) (this as unknown as { protocol: string }).protocol = 'https:';
  }

  override createConnection(
    options: ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const stream = this.tls
      ? (this.tls as unknown as { createConnection: Agent['createConnection'] }).createConnection(options, callback)
      : super.createConnection(options, callback);
    if (stream) this.track(stream as Socket);
    return stream;
  }

  get bytesIn(): number {
    let total = this.closedBytesIn;
    for (const socket of this.live) total += socket.bytesRead;
    return total;
  }

  get bytesOut(): number {
    let total = this.closedBytesOut;
    for (const socket of this.live) total += socket.bytesWritten;
    return total;
  }

  /**
   * For close(): waits until no connection is carrying a request or a WebSocket (idle
   * keep-alive ones do not count), at most `graceMs`, then closes them all and resolves once
   * they are closed, so the byte counts are final.
   */
  async settle(graceMs: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const check = () => {
        if ([...this.live].some((socket) => !this.isIdle(socket))) return;
        finish();
      };
      const timer = setTimeout(() => finish(), graceMs);
      const finish = () => {
        clearTimeout(timer);
        this.off('free', check);
        this.off('closed-connection', check);
        resolve();
      };
      this.on('free', check);
      this.on('closed-connection', check);
      check();
    });
    const open = [...this.live];
    const closed = Promise.all(open.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    this.destroy();
    this.tls?.destroy();
    // Upgraded (WebSocket) connections are no longer the agent's, so destroy() misses them.
    for (const socket of open) socket.destroy();
    await closed;
  }

  private isIdle(socket: Socket): boolean {
    return Object.values(this.freeSockets).some((sockets) => sockets?.includes(socket) ?? false);
  }

  private track(socket: Socket): void {
    this.live.add(socket);
    socket.once('close', () => {
      this.live.delete(socket);
      this.closedBytesIn += socket.bytesRead;
      this.closedBytesOut += socket.bytesWritten;
      this.emit('closed-connection');
    });
  }
}
