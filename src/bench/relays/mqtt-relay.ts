/**
 * MQTT's relay is the broker itself: Aedes embedded with an in-process publisher (as pong's
 * server embeds it), or, with --broker, an external broker and an mqtt.js publisher.
 */
import type { Socket } from 'node:net';
import mqtt from 'mqtt';
import { topics } from '../../protocol/topics.js';
import { isAckTopic, listenAedes, type AckSink, type BareRelay } from './relay.js';

const ACKS = topics.anyPlayer('ack');

export async function startMqttRelay(onAck: AckSink, brokerUrl?: string): Promise<BareRelay> {
  return brokerUrl !== undefined ? externalRelay(onAck, brokerUrl) : embeddedRelay(onAck);
}

async function embeddedRelay(onAck: AckSink): Promise<BareRelay> {
  const { broker, url, stop } = await listenAedes();
  broker.on('publish', (packet, client) => {
    if (client !== null && isAckTopic(packet.topic)) onAck(packet.topic, packet.payload.toString());
  });
  return {
    urls: { httpUrl: null, mqttUrl: url },
    publish(topic, payload) {
      broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false }, () => {});
    },
    stop,
  };
}

async function externalRelay(onAck: AckSink, brokerUrl: string): Promise<BareRelay> {
  const client = await mqtt.connectAsync(brokerUrl, { clean: true, reconnectPeriod: 0 });
  // As pong's bridge to a broker does: Nagle off, or a frame can wait on a delayed ACK.
  (client.stream as Partial<Socket>).setNoDelay?.(true);
  client.on('message', (topic, payload) => onAck(topic, payload.toString()));
  await client.subscribeAsync(ACKS, { qos: 0 });
  return {
    urls: { httpUrl: null, mqttUrl: brokerUrl },
    publish(topic, payload) {
      client.publish(topic, payload, { qos: 0, retain: false });
    },
    async stop() {
      await client.endAsync(true);
    },
  };
}
