/**
 * MQTT's relay is the broker itself: Aedes embedded with an in-process publisher (as pong's
 * server embeds it), or, with --broker, an external broker and an mqtt.js publisher.
 */
import net, { type Socket } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { isAckTopic, type AckSink, type BareRelay } from './relay.js';

const ACKS = 'pong/game/+/+/ack';

export async function startMqttRelay(onAck: AckSink, brokerUrl?: string): Promise<BareRelay> {
  return brokerUrl !== undefined ? externalRelay(onAck, brokerUrl) : embeddedRelay(onAck);
}

async function embeddedRelay(onAck: AckSink): Promise<BareRelay> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    // As pong's embedded broker does: Nagle off, or small frames wait on delayed ACKs.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  broker.on('publish', (packet, client) => {
    if (client !== null && isAckTopic(packet.topic)) onAck(packet.topic, packet.payload.toString());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    urls: { httpUrl: null, mqttUrl: `mqtt://127.0.0.1:${port}` },
    publish(topic, payload) {
      broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false }, () => {});
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function externalRelay(onAck: AckSink, brokerUrl: string): Promise<BareRelay> {
  const client = await mqtt.connectAsync(brokerUrl, { clean: true, reconnectPeriod: 0 });
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
