/**
 * How our mqtt.js clients open their TCP connection: with Nagle off (mqtt.js leaves it on, and
 * small 60 Hz frames then wait on delayed ACKs) and metered, so wire counters include every
 * MQTT header and keepalive.
 */
import net from 'node:net';
import type { StreamBuilder } from 'mqtt';
import type { WireMeter } from '../wire-meter.js';
import type { BrokerAddress } from './url.js';

export function noDelayStream(address: BrokerAddress, meter?: WireMeter): StreamBuilder {
  return () => {
    const socket = net.connect({ host: address.host, port: address.port });
    socket.setNoDelay(true);
    meter?.track(socket);
    return socket;
  };
}
