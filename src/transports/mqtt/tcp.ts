/**
 * How our mqtt.js clients open their connection: TCP (or TLS for mqtts) with Nagle off
 * (mqtt.js leaves it on, and small 60 Hz frames then wait on delayed ACKs) and metered, so
 * wire counters include every MQTT header and keepalive.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { StreamBuilder } from 'mqtt';
import type { WireMeter } from '../wire-meter.js';
import type { BrokerAddress } from './url.js';

export function noDelayStream(to: BrokerAddress | (() => BrokerAddress), meter?: WireMeter, ca?: string): StreamBuilder {
  return () => {
    // A function: the next of several brokers at each (re)connect.
    const address = typeof to === 'function' ? to() : to;
    const socket = address.secure
      ? tls.connect({ host: address.host, port: address.port, servername: net.isIP(address.host) ? undefined : address.host, ...(ca !== undefined ? { ca } : {}) })
      : net.connect({ host: address.host, port: address.port });
    socket.setNoDelay(true);
    meter?.track(socket);
    return socket;
  };
}
