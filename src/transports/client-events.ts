/**
 * The listener bookkeeping every TransportClient needs: message and status handlers, and a
 * status that is announced only when it changes, so a UI redraws once per transition.
 */
import type { ConnectionStatus, MessageHandler, StatusHandler } from './transport.js';

export class ClientEvents {
  private readonly messageHandlers = new Set<MessageHandler>();
  private readonly statusHandlers = new Set<StatusHandler>();
  private current: ConnectionStatus = 'disconnected';

  get status(): ConnectionStatus {
    return this.current;
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
    // 'closed' is final: late socket events must not bring a closed client back to life.
    if (status === this.current || this.current === 'closed') return;
    this.current = status;
    for (const handler of [...this.statusHandlers]) handler(status, detail);
  }

  deliver(topic: string, payload: string): void {
    if (this.current === 'closed') return;
    for (const handler of [...this.messageHandlers]) handler(topic, payload);
  }
}
