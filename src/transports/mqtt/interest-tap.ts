/**
 * The embedded broker's subscriptions as interest (see bus/interest.ts): the gateway bridges
 * all of pong/# once, so what its MQTT clients want is read from the broker's own subscribe,
 * unsubscribe and disconnect events. MQTT replaces a filter subscribed twice, so each client's
 * filters are a set, and a client gone takes all of its filters with it.
 */
import type { Aedes, Client } from 'aedes';
import type { InterestSink } from '../../bus/interest.js';

export function tapInterest(broker: Aedes, sink: InterestSink): void {
  const held = new Map<Client, Set<string>>();
  broker.on('subscribe', (subscriptions, client) => {
    if (client === null || client === undefined) return;
    let filters = held.get(client);
    if (filters === undefined) held.set(client, (filters = new Set()));
    for (const { topic } of subscriptions) {
      if (filters.has(topic)) continue;
      filters.add(topic);
      sink.add(topic);
    }
  });
  broker.on('unsubscribe', (unsubscriptions, client) => {
    const filters = client ? held.get(client) : undefined;
    if (filters === undefined) return;
    for (const topic of unsubscriptions) if (filters.delete(topic)) sink.remove(topic);
  });
  broker.on('clientDisconnect', (client) => {
    const filters = held.get(client);
    if (filters === undefined) return;
    held.delete(client);
    for (const topic of filters) sink.remove(topic);
  });
}
