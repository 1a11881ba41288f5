/**
 * Byte counts of the TCP sockets a client has used, headers and handshakes included: the
 * current socket's live counters plus the totals of the sockets that came before it, so the
 * figures keep growing across reconnects.
 */
import type { Socket } from 'node:net';
import type { WireCounters } from './transport.js';

export class WireMeter {
  private closedBytesIn = 0;
  private closedBytesOut = 0;
  private current: Socket | null = null;
  messagesIn = 0;
  messagesOut = 0;

  track(socket: Socket): void {
    this.retire();
    this.current = socket;
    socket.once('close', () => {
      if (this.current === socket) this.retire();
    });
  }

  get counters(): WireCounters {
    return {
      bytesIn: this.closedBytesIn + (this.current?.bytesRead ?? 0),
      bytesOut: this.closedBytesOut + (this.current?.bytesWritten ?? 0),
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
    };
  }

  private retire(): void {
    if (!this.current) return;
    this.closedBytesIn += this.current.bytesRead;
    this.closedBytesOut += this.current.bytesWritten;
    this.current = null;
  }
}
