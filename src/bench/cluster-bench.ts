/**
 * `pong bench --cluster`: what running several servers on one Redis costs, with real processes
 * (`pong serve --cluster` nodes, `pong bot` players, a redis-server of its own unless given one):
 *
 * - round trip: the same game's two players over MQTT, one on the owner node, one on another
 *   node (its frames and acks go through Redis), as the owner measures them; the added p50/p99;
 * - CPU per game: the nodes' CPU time (utime + stime from /proc) over the measured seconds, per
 *   game, against one `pong serve` without --cluster playing the same games;
 * - the floor under it: two bare processes passing the same frames and acks through Redis
 *   (redis-hop-process.ts), per game: what crossing Redis costs whatever a node does;
 * - Redis commands per game per second (INFO's total_commands_processed) over the same seconds;
 * - failover: kill -9 of a game's owner → the first ball frame from its next owner, as seen on
 *   the game's Redis channel, over repeated kills (the killed node is started again each time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Progress } from './progress.js';

const PONG_BIN = fileURLToPath(new URL('../../bin/pong.js', import.meta.url));
const HOP_BIN = fileURLToPath(new URL('./redis-hop-process.js', import.meta.url));
/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ: 100 on every usual build). */
const USER_HZ = 100;

export interface ClusterBenchOptions {
  /** An existing Redis; absent: a redis-server of the bench's own on a free port. */
  redisUrl?: string;
  games: number;
  durationS: number;
  warmupS: number;
  kills: number;
  progress: Progress;
}

export interface ClusterBenchResult {
  games: number;
  durationS: number;
  warmupS: number;
  roundTrip: {
    owner: { p50: number; p99: number };
    otherNode: { p50: number; p99: number };
    addedP50: number;
    addedP99: number;
  };
  cpuPerGame: { clusterMsPerS: number; singleMsPerS: number; ratio: number };
  /** The bare Redis hop: its CPU per game (both processes), that over one process's game, its round trip. */
  redisHop: { msPerS: number; ofSingle: number; rtt: { p50: number; p99: number } };
  redisCommandsPerGamePerS: number;
  failover: { kills: number; msEach: number[]; p50: number; worst: number };
}

interface Child {
  proc: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

const children = new Set<ChildProcess>();

function run(command: string, args: readonly string[]): Child {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0' } });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  let text = '';
  proc.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    proc,
    output: () => text,
    waitFor: async (pattern, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`${command} ${args.join(' ')}: no ${pattern} in:\n${text}`);
        await sleep(50);
      }
    },
  };
}

const pong = (args: readonly string[]) => run(process.execPath, [PONG_BIN, ...args]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Node {
  id: string;
  child: Child;
  mqttUrl: string;
}

async function startNode(redisUrl: string, id: string, extra: readonly string[] = [], mqttPort = '0'): Promise<Node> {
  const child = pong(['serve', '--cluster', redisUrl, '--node-id', id, '--port', '0', '--mqtt-port', mqttPort, '--points', '99', ...extra]);
  await child.waitFor(/press Ctrl-C to stop/);
  const mqttUrl = /serving mqtt (mqtt:\/\/\S+)/.exec(child.output())![1]!;
  return { id, child, mqttUrl };
}

async function startSingle(games: readonly string[]): Promise<Node> {
  const child = pong(['serve', '--port', '0', '--mqtt-port', '0', '--points', '99', '--state-file', 'none', ...games.flatMap((g) => ['--game', g])]);
  await child.waitFor(/press Ctrl-C to stop/);
  return { id: 'single', child, mqttUrl: /serving mqtt (mqtt:\/\/\S+)/.exec(child.output())![1]! };
}

function bot(game: string, player: 1 | 2, broker: string): Child {
  return pong(['bot', '--game', game, '--player', String(player), '--broker', broker, '--skill', '0.9', '--forever']);
}

/** CPU time the process has used, ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

async function commandsProcessed(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
}

interface Rtt {
  p50: number;
  p99: number;
}

/** The owner's figures for each player of a game, from its retained stats in Redis. */
async function playerRtts(redis: Redis, game: string): Promise<{ p1: Rtt; p2: Rtt } | null> {
  const text = await redis.hget(`pong:ret:${game}`, `pong/game/${game}/stats`);
  if (text === null) return null;
  const stats = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { p1?: { rtt: Rtt }; p2?: { rtt: Rtt } };
  if (!stats.p1 || !stats.p2) return null;
  return { p1: stats.p1.rtt, p2: stats.p2.rtt };
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const round3 = (n: number) => Math.round(n * 1000) / 1000;

async function startOwnRedis(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await child.waitFor(/Ready to accept connections/, 10_000);
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.proc.kill('SIGTERM') };
}

function stopAll(): void {
  for (const child of children) child.kill('SIGKILL');
}

export async function runClusterBench(options: ClusterBenchOptions): Promise<ClusterBenchResult> {
  const own = options.redisUrl === undefined ? await startOwnRedis() : null;
  const url = options.redisUrl ?? own!.url;
  const redis = new Redis(url, { lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();
  try {
    const games = Array.from({ length: options.games }, (_, i) => `bench-${i}`);
    const measureMs = options.durationS * 1000;

    // Cluster: A owns every game (it keeps them open, and starts alone); each game's player 1
    // is on A, its player 2 on B.
    options.progress.show(`bench --cluster: ${games.length} games on two nodes, player 2 on the node that does not own them`);
    await redis.flushall();
    const a = await startNode(url, 'bench-a', games.flatMap((g) => ['--game', g]));
    const b = await startNode(url, 'bench-b');
    const players = games.flatMap((g) => [bot(g, 1, a.mqttUrl), bot(g, 2, b.mqttUrl)]);
    await sleep(options.warmupS * 1000);
    const cpu0 = cpuMs(a.child.proc.pid!) + cpuMs(b.child.proc.pid!);
    const commands0 = await commandsProcessed(redis);
    await sleep(measureMs);
    const cpu1 = cpuMs(a.child.proc.pid!) + cpuMs(b.child.proc.pid!);
    const commands1 = await commandsProcessed(redis);
    const rtts = (await Promise.all(games.map((g) => playerRtts(redis, g)))).filter((r): r is { p1: Rtt; p2: Rtt } => r !== null);
    for (const child of [...players.map((p) => p.proc), a.child.proc, b.child.proc]) child.kill('SIGKILL');
    const clusterMsPerS = (cpu1 - cpu0) / options.durationS / games.length;

    // One process, the same games and players.
    options.progress.show(`bench --cluster: the same ${games.length} games on one pong serve without --cluster`);
    const single = await startSingle(games);
    const singlePlayers = games.flatMap((g) => [bot(g, 1, single.mqttUrl), bot(g, 2, single.mqttUrl)]);
    await sleep(options.warmupS * 1000);
    const s0 = cpuMs(single.child.proc.pid!);
    await sleep(measureMs);
    const s1 = cpuMs(single.child.proc.pid!);
    for (const child of [...singlePlayers.map((p) => p.proc), single.child.proc]) child.kill('SIGKILL');
    const singleMsPerS = (s1 - s0) / options.durationS / games.length;

    // The floor: the same frames and acks through Redis between two bare processes.
    options.progress.show(`bench --cluster: the Redis hop alone, ${games.length} games' frames and acks between two bare processes`);
    const hop = [run(process.execPath, [HOP_BIN, 'owner', url, String(games.length)]), run(process.execPath, [HOP_BIN, 'peer', url, String(games.length)])];
    for (const child of hop) await child.waitFor(/ready/);
    await sleep(Math.min(options.warmupS, 5) * 1000);
    const h0 = hop.reduce((sum, child) => sum + cpuMs(child.proc.pid!), 0);
    hop[0]!.proc.kill('SIGUSR2');
    await sleep(measureMs);
    const h1 = hop.reduce((sum, child) => sum + cpuMs(child.proc.pid!), 0);
    hop[0]!.proc.kill('SIGUSR1');
    await hop[0]!.waitFor(/rtt \S+ \S+ \d+/, 5_000);
    const [, hopP50, hopP99] = /rtt (\S+) (\S+) \d+/.exec(hop[0]!.output())!;
    for (const child of hop) child.proc.kill('SIGKILL');
    const hopMsPerS = (h1 - h0) / options.durationS / games.length;

    const failover = await measureFailover(url, redis, options);
    const owner = { p50: round3(mean(rtts.map((r) => r.p1.p50))), p99: round3(mean(rtts.map((r) => r.p1.p99))) };
    const otherNode = { p50: round3(mean(rtts.map((r) => r.p2.p50))), p99: round3(mean(rtts.map((r) => r.p2.p99))) };
    const sorted = [...failover].sort((x, y) => x - y);
    return {
      games: games.length,
      durationS: options.durationS,
      warmupS: options.warmupS,
      roundTrip: { owner, otherNode, addedP50: round3(otherNode.p50 - owner.p50), addedP99: round3(otherNode.p99 - owner.p99) },
      cpuPerGame: { clusterMsPerS: round3(clusterMsPerS), singleMsPerS: round3(singleMsPerS), ratio: round3(clusterMsPerS / singleMsPerS) },
      redisHop: { msPerS: round3(hopMsPerS), ofSingle: round3(hopMsPerS / singleMsPerS), rtt: { p50: Number(hopP50), p99: Number(hopP99) } },
      redisCommandsPerGamePerS: round3((commands1 - commands0) / options.durationS / games.length),
      failover: { kills: failover.length, msEach: failover.map(Math.round), p50: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0), worst: Math.round(sorted.at(-1) ?? 0) },
    };
  } finally {
    stopAll();
    redis.disconnect();
    own?.stop();
  }
}

/**
 * Three nodes; the game's players on C first, with every node's address to move to; its owner,
 * whichever node it is, killed with SIGKILL, then started again on the same ports, `kills` times. Each time: from the kill to the first ball frame
 * another node publishes on the game's channel.
 */
async function measureFailover(url: string, redis: Redis, options: ClusterBenchOptions): Promise<number[]> {
  const game = 'bench-failover';
  await redis.flushall();
  const nodes = new Map<string, Node>();
  for (const id of ['fo-a', 'fo-b']) nodes.set(id, await startNode(url, id, ['--game', game]));
  const c = await startNode(url, 'fo-c');
  nodes.set('fo-c', c);
  // Players on C first, every node after: whichever node is killed, they play on.
  const brokers = [c, ...nodes.values()].filter((node, i, all) => all.indexOf(node) === i).map((node) => node.mqttUrl).join(',');
  bot(game, 1, brokers);
  bot(game, 2, brokers);
  const watcher = new Redis(url, { lazyConnect: true });
  watcher.on('error', () => {});
  await watcher.connect();
  let firstFrame: { node: string; at: number } | null = null;
  let victim = '';
  watcher.on('message', (_channel: string, text: string) => {
    if (firstFrame !== null) return;
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as { n: string; s: number; t: string };
    if (header.s === 1 && header.t.endsWith('/ball') && header.n !== victim && victim !== '') firstFrame = { node: header.n, at: performance.now() };
  });
  await watcher.subscribe(`pong:gs:${game}`);
  const times: number[] = [];
  try {
    // Playing first: a game in progress is what failover keeps.
    const deadline = Date.now() + 30_000;
    while (!/"status":"playing"/.test((await redis.hget(`pong:ret:${game}`, `pong/game/${game}/state`)) ?? '')) {
      if (Date.now() > deadline) throw new Error('the failover game never started');
      await sleep(100);
    }
    for (let kill = 1; kill <= options.kills; kill++) {
      options.progress.show(`bench --cluster: failover, kill ${kill} of ${options.kills}`);
      const lease = (await redis.get(`pong:own:${game}`)) ?? '';
      victim = lease.slice(0, lease.lastIndexOf(':'));
      const node = nodes.get(victim);
      if (node === undefined) throw new Error(`the game's owner is ${victim || 'nobody'}, not a node the bench can kill`);
      firstFrame = null;
      node.child.proc.kill('SIGKILL');
      const killedAt = performance.now();
      const until = Date.now() + 15_000;
      while (firstFrame === null && Date.now() < until) await sleep(5);
      const frame = firstFrame as { node: string; at: number } | null;
      if (frame === null) throw new Error(`no frame from another owner within 15 s of kill ${kill}`);
      times.push(frame.at - killedAt);
      // Started again on the same MQTT port, so the players' address lists stay good.
      const port = new URL(node.mqttUrl).port;
      nodes.set(victim, await startNode(url, victim, ['--game', game], port));
      // The restarted node's heartbeat first: otherwise the next owner is always the same one.
      await sleep(500);
    }
  } finally {
    watcher.disconnect();
  }
  return times;
}

export function clusterMarkdown(result: ClusterBenchResult, date: string): string {
  const { roundTrip: rt, cpuPerGame: cpu, failover } = result;
  return [
    `# pong bench --cluster, ${date}`,
    '',
    `${result.games} games, ${result.warmupS} s warm-up, ${result.durationS} s measured; MQTT players (\`pong bot\`), nodes and Redis on this machine.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| round trip, player on the owner node, p50 / p99 | ${rt.owner.p50} / ${rt.owner.p99} ms |`,
    `| round trip, player on another node, p50 / p99 | ${rt.otherNode.p50} / ${rt.otherNode.p99} ms |`,
    `| added by the other node, p50 / p99 | ${rt.addedP50} / ${rt.addedP99} ms |`,
    `| the Redis hop alone, there and back (two bare processes), p50 / p99: the floor of the added | ${result.redisHop.rtt.p50} / ${result.redisHop.rtt.p99} ms |`,
    `| server CPU per game, cluster (two nodes together) | ${cpu.clusterMsPerS} ms/s |`,
    `| server CPU per game, one process | ${cpu.singleMsPerS} ms/s |`,
    `| cluster / single | ${cpu.ratio}x |`,
    `| the Redis hop alone per game (two bare processes, the same frames and acks) | ${result.redisHop.msPerS} ms/s |`,
    `| single + the hop alone, over single: the floor of cluster / single | ${round3(1 + result.redisHop.ofSingle)}x |`,
    `| Redis commands per game per second | ${result.redisCommandsPerGamePerS} |`,
    `| failover (kill -9 → first frame of the next owner), p50 / worst of ${failover.kills} | ${failover.p50} / ${failover.worst} ms |`,
    '',
    `Failover, each kill (ms): ${failover.msEach.join(', ')}`,
    '',
  ].join('\n');
}
