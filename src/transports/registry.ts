/**
 * Every transport by name. Adding one = its folder under src/transports/ plus its factory in
 * `registered` below; nothing else in the program names a transport.
 */
import { mqttTransport } from './mqtt/index.js';
import { socketioTransport } from './socketio/index.js';
import type { TransportFactory, TransportName } from './transport.js';
import { webrtcTransport } from './webrtc/index.js';
import { wsTransport } from './ws/index.js';

/** In the order the CLI lists them. */
const registered: readonly TransportFactory[] = [mqttTransport, wsTransport, socketioTransport, webrtcTransport];

export const transports: Readonly<Partial<Record<TransportName, TransportFactory>>> = Object.freeze(
  Object.fromEntries(registered.map((factory) => [factory.name, factory])),
);

export const transportNames: readonly TransportName[] = Object.freeze(registered.map((factory) => factory.name));

export function isTransportName(name: string): name is TransportName {
  return (transportNames as readonly string[]).includes(name);
}

export function getTransport(name: string): TransportFactory {
  const factory = isTransportName(name) ? transports[name] : undefined;
  if (!factory) throw new RangeError(`unknown transport '${name}': choose from ${transportNames.join(', ')}`);
  return factory;
}
