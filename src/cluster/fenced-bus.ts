/**
 * The bus as a cluster node's rooms see it: a room's publication goes out only while its node
 * may still speak for the game (ClusterNode.mayPublish: its lease surely still its own), so no
 * frame or state leaves a node past its renewal deadline, whichever timer runs first.
 */
import type { BusView } from '../bus/bus.js';

export function fencedBus(bus: BusView, mayPublish: (topic: string) => boolean): BusView {
  return {
    publish: (topic, payload, options) => {
      if (mayPublish(topic)) bus.publish(topic, payload, options);
    },
    subscribe: (filter, handler) => bus.subscribe(filter, handler),
    retainedMessage: (topic) => bus.retainedMessage(topic),
  };
}
