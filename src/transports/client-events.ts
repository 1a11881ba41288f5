/**
 * The listener bookkeeping every TransportClient needs: message and status handlers, and a
 * status that is announced only when it changes, so a UI redraws once per transition. One
 * status may span several steps (WebRTC's 'connecting' is signaling, offer, ICE, DTLS and
 * channels): the step in progress is kept in `detail` for a status line to poll.
 *
 * EventedClient is that bookkeeping as the TransportClient members every client class shares.
 */
import type { ConnectionStatus, MessageHandler, StatusHandler } from './transport.js';

export class ClientEvents {
  private readonly messageHandlers = new Set<MessageHandler>();
  private readonly statusHandlers = new Set<StatusHandler>();
  private current: ConnectionStatus = 'disconnected';
  private currentDetail: string | undefined;

  get status(): ConnectionStatus {
    return this.current;
  }

  get detail(): string | undefined {
    return this.currentDetail;
  }

  onMessage(handler: MessageHandler): () => void {
    this.messageHandlers.add(handler);
    return () => this.messageHandlers.delete(handler);
  }

  onStatus(handler: StatusHandler): () => void {
    this.statusHandlers.add(handler);
    return () => this.statusHandlers.delete(handler);
  }

  setStatus(status: ConnectionStatus, detail?: string): void {
    // 'closed' is final: late socket or native events must not bring a closed client back to life.
    if (this.current === 'closed') return;
    this.currentDetail = detail;
    if (status === this.current) return;
    this.current = status;
    for (const handler of [...this.statusHandlers]) handler(status, detail);
  }

  /** Same status, new step: recorded, not announced. */
  setDetail(detail: string): void {
    if (this.current !== 'closed') this.currentDetail = detail;
  }

  deliver(topic: string, payload: string): void {
    if (this.current === 'closed') return;
    for (const handler of [...this.messageHandlers]) handler(topic, payload);
  }
}

/** TransportClient's status and listeners, for a client class to extend; it reports through `events`. */
export abstract class EventedClient {
  protected readonly events = new ClientEvents();

  get status(): ConnectionStatus {
    return this.events.status;
  }

  onMessage(handler: MessageHandler): () => void {
    return this.events.onMessage(handler);
  }

  onStatus(handler: StatusHandler): () => void {
    return this.events.onStatus(handler);
  }
}
