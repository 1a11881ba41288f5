/**
 * A plain mqtt.js client (MQTT 3.1.1, as the embedded Aedes speaks it), standing in for any MQTT
 * client: a classic-demo client, mosquitto_pub.
 */
import { connect, type MqttClient } from 'mqtt';
import { MQTT_MAX_PACKET_BYTES } from '../../../src/transports/mqtt/packet-size-guard.js';
import { endSignal, type PeerConnector, type RawPeer, type RefusalProbe } from './raw-peer.js';

function open(url: string, clientId: string | null, will?: { topic: string; payload: string; qos: 0 | 1 }): MqttClient {
  return connect(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...(clientId === null ? {} : { clientId }),
    ...(will ? { will: { topic: will.topic, payload: Buffer.from(will.payload), qos: will.qos, retain: false } } : {}),
  });
}

export const connectMqttPeer: PeerConnector = async (url, clientId, options = {}) => {
  const client = open(url, clientId, options.will);
  const messages: Array<[string, string]> = [];
  const refusals: string[] = [];
  const { ended, end } = endSignal();
  client.on('message', (topic, payload) => messages.push([topic, payload.toString()]));
  client.on('close', () => end('closed'));
  client.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const peer: RawPeer = {
    publish: (topic, payload, flags = {}) => client.publish(topic, payload, { qos: flags.qos ?? 0, retain: flags.retain ?? false }),
    subscribe: (filter) =>
      client.subscribe(filter, (error) => {
        // A failure code in SUBACK (mqtt.js names 128 "Unspecified error"): the broker refused
        // the filter and kept the connection.
        if (error) refusals.push(`suback ${filter} (${error.message})`);
      }),
    messages,
    refusals,
    ended,
    sendOversized: () => client.publish('pong/game/big/p1/paddle', 'x'.repeat(MQTT_MAX_PACKET_BYTES + 1)),
    // The socket destroyed with no DISCONNECT packet: what the broker sees of a killed client.
    drop: () => client.stream.destroy(),
    close: async () => {
      await client.endAsync();
      await ended;
    },
  };
  return peer;
};

/** A CONNACK whose return code refuses the connection (2: identifier rejected). */
export const mqttRefusal: RefusalProbe = (url, clientId) =>
  new Promise((resolve, reject) => {
    const client = open(url, clientId);
    client.once('error', (error: Error & { code?: number }) => {
      client.end(true);
      resolve(`connack ${String(error.code)} ${error.message}`);
    });
    client.once('connect', () => {
      client.end(true);
      reject(new Error('the connection was accepted'));
    });
  });
