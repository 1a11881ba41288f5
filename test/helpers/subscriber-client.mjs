// A transport client in a process of its own that subscribes and prints "first" when the first
// message arrives; a test then stops it (SIGSTOP) to make a client that no longer reads.
//   node subscriber-client.mjs <transport> <json: ClientOptions> <filter>
import { getTransport } from '../../dist/transports/registry.js';

const [transport, options, filter] = process.argv.slice(2);
const client = getTransport(transport).createClient(JSON.parse(options));
let first = true;
client.onMessage(() => {
  if (first) process.stdout.write('first\n');
  first = false;
});
client.subscribe(filter);
await client.connect();
process.stdout.write('ready\n');
