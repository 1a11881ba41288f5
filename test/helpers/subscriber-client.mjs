// A transport client in a process of its own that subscribes and prints "first" when the first
// message arrives; a test then stops it (SIGSTOP) to make a client that no longer reads, and
// may let it go on (SIGCONT) to see what reached it. It prints "got <topic>" the first time a
// topic arrives and "status <status>" on every change of its connection.
//   node subscriber-client.mjs <transport> <json: ClientOptions> <filter>
import { getTransport } from '../../dist/transports/registry.js';

const [transport, options, filter] = process.argv.slice(2);
const client = getTransport(transport).createClient(JSON.parse(options));
const topics = new Set();
client.onMessage((topic) => {
  if (topics.size === 0) process.stdout.write('first\n');
  if (topics.has(topic)) return;
  topics.add(topic);
  process.stdout.write(`got ${topic}\n`);
});
client.onStatus((status) => process.stdout.write(`status ${status}\n`));
client.subscribe(filter);
await client.connect();
process.stdout.write('ready\n');
