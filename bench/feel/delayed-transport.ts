/**
 * A network that is slow and uneven, on the way in only: every message a transport client
 * receives is handed on after its own delay, `base ± jitter` ms (uniform), independently, so
 * frames can overtake each other as datagrams do. Everything else about the client is untouched
 * (a Proxy), so it works whatever the transport and whatever the interface grows.
 */
import type { TransportClient } from '../../src/transports/transport.js';

type Handler = Parameters<TransportClient['onMessage']>[0];

export function delayIncoming(client: TransportClient, baseMs: number, jitterMs: number, random = Math.random): TransportClient {
  const delay = (): number => Math.max(0, baseMs + (random() * 2 - 1) * jitterMs);
  return new Proxy(client, {
    get(target, property) {
      if (property === 'onMessage') {
        return (handler: Handler) =>
          target.onMessage((topic, payload) => {
            setTimeout(() => handler(topic, payload), delay());
          });
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
