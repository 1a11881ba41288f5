/**
 * A transport client with a will, in a child process (test/helpers/will-client.mjs, running
 * the built dist/): `kill()` is an abrupt loss, `closeCleanly()` a clean close().
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientOptions, TransportName, WillMessage } from '../../src/transports/transport.js';

const SCRIPT = fileURLToPath(new URL('./will-client.mjs', import.meta.url));

export interface WillChild {
  kill(): Promise<void>;
  closeCleanly(): Promise<void>;
}

export async function startWillChild(transport: TransportName, options: ClientOptions, will: WillMessage): Promise<WillChild> {
  const child = spawn(process.execPath, [SCRIPT, transport, JSON.stringify(options), JSON.stringify(will)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const seen = (text: string, times = 1) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.split(text).length > times) resolve();
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => {
        check();
        reject(new Error(`will client exited (${code}) before "${text}" x${times}:\n${output}`));
      });
      check();
    });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await seen('ready');
  return {
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async closeCleanly() {
      child.stdin.write('close\n');
      await seen('closed');
      await exited;
    },
  };
}
