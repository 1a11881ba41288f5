// A transport client in a process of its own, so a test can kill it the hard way (SIGKILL:
// the kernel closes its sockets, nothing says goodbye). Runs the built code in dist/.
//   node will-client.mjs <transport> <json: ClientOptions> <json: WillMessage>
// Prints "ready" once connected with its will set, and "status <status>" on every change; on
// every connection publishes pong/will-up/<clientId> (QoS 1) after its will; on "close" from
// stdin closes cleanly, prints "closed" and exits.
import { createInterface } from 'node:readline';
import { getTransport } from '../../dist/transports/registry.js';

const [transport, options, will] = process.argv.slice(2);
const client = getTransport(transport).createClient(JSON.parse(options));
client.setWill(JSON.parse(will));
const options_ = JSON.parse(options);
// After the will on the same ordered connection: once this is on the server's bus, so is the will.
client.onStatus((status) => {
  process.stdout.write(`status ${status}\n`);
  if (status === 'connected') client.publish(`pong/will-up/${options_.clientId}`, 'up', { qos: 1 });
});
await client.connect();
process.stdout.write('ready\n');
createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'close') return;
  await client.close();
  process.stdout.write('closed\n');
  process.exit(0);
});
