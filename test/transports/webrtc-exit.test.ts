/**
 * node-datachannel keeps a process alive until every native callback is released. A real
 * process (not the test runner, which exits regardless) runs a server and a client, exchanges
 * a message over a data channel, closes both, and must then exit on its own.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');
const ENTRIES = ['transports/webrtc/index.ts', 'bus/bus.ts', 'bus/upgrade-router.ts'];

const CHILD = `
import http from 'node:http';
import { TopicBus } from './bus/bus.js';
import { UpgradeRouter } from './bus/upgrade-router.js';
import { webrtcTransport } from './transports/webrtc/index.js';

const server = http.createServer();
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const bus = new TopicBus();
const gateway = webrtcTransport.createGateway({
  bus, http: server, upgrades: new UpgradeRouter(server), host: '127.0.0.1', log: () => {}, options: {},
});
await gateway.start();
const client = webrtcTransport.createClient({
  serverUrl: 'http://127.0.0.1:' + server.address().port, brokerUrl: '', clientId: 'exit',
});
await client.connect();
const received = new Promise((done) => client.onMessage((_topic, payload) => done(payload)));
bus.publish('pong/game/exit/state', 'over the data channel', { qos: 1, retain: true });
client.subscribe('pong/game/exit/state');
console.log('received ' + (await received));
await client.close();
await gateway.stop();
server.close();
console.log('closed');
`;

/** Transpiles the modules the child needs (types stripped, no type check) into `out`. */
async function transpile(out: string): Promise<void> {
  const pending = [...ENTRIES];
  const done = new Set<string>();
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (done.has(path)) continue;
    done.add(path);
    const source = await readFile(join(SRC, path), 'utf8');
    for (const match of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(relative(SRC, resolve(dirname(join(SRC, path)), `${match[1]}.ts`)));
    }
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    const target = join(out, path.replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
}

let workDir: string | null = null;

afterEach(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
  workDir = null;
});

it('lets a process that used peer connections exit once client and gateway are closed', async () => {
  workDir = await mkdtemp(join(tmpdir(), 'pong-webrtc-exit-'));
  await transpile(workDir);
  await symlink(join(ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  await writeFile(join(workDir, 'child.mjs'), CHILD);

  const child = spawn(process.execPath, [join(workDir, 'child.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = await new Promise<number | string>((done) => {
    const hung = setTimeout(() => {
      child.kill('SIGKILL');
      done('still running 15 s later');
    }, 15_000);
    child.on('exit', (code, signal) => {
      clearTimeout(hung);
      done(code ?? String(signal));
    });
  });

  expect(output).toContain('received over the data channel');
  expect(output).toContain('closed');
  expect(exit).toBe(0);
});
