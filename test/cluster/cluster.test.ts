/**
 * `pong serve --cluster`, as people run it: a real redis-server and real `pong serve` nodes,
 * bots on real transports. One Redis and three nodes serve the whole file, in order:
 * - games owned by node B, played by clients on node A over each transport, seen by a
 *   mosquitto_sub on node C; a client on node C taking a seated player's id gets no seat;
 * - a join reaching a game's new owner while its subscription to the game is still on its way
 *   (that node behind a proxy that delays its subscriptions) is delivered, not dropped;
 * - bot games spread over nodes and transports (each bot given every node's address, its own
 *   first); the node owning the most games killed with SIGKILL mid-game: every game ends with a
 *   winner, no score goes back, no frame seq comes from two owners, the games move within 3 s;
 * - a node stopped with SIGTERM hands its games over; Redis away longer than a lease mid-game:
 *   owners stop, then take their games back; both games go on (a point scored after).
 * Matches are short (2 points, weak bots), games few (18 bot processes in all), and only the
 * failover test plays its games to the end: the file takes about a minute. Last, `pong bench
 * --cluster` end to end (a redis-server of its own): every figure there and sensible, the bare
 * Redis hop's floor beside them, the run saved.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, runPong, startPongServe, type CliProcess } from '../helpers/cli.js';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis.js';
import { owners, rawRedis, subscribers, watchCluster, type ClusterWatch } from '../helpers/cluster-watch.js';
import { hasBinary } from '../helpers/binaries.js';
import { freePort } from '../helpers/free-port.js';
import { slowSubscriberProxy } from '../helpers/slow-subscriber-proxy.js';
import type { TransportName } from '../../src/transports/transport.js';
import type { ClusterBenchResult } from '../../src/bench/cluster-bench.js';

const POINTS = '2';
const SKILL = '0.15';
const TRANSPORTS: TransportName[] = ['mqtt', 'ws', 'socketio', 'webrtc'];

interface Node {
  id: string;
  proc: CliProcess;
  mqttUrl: string;
  httpUrl: string;
}

const available = redisAvailable();
let redis: RedisServer | null = null;
let watch: ClusterWatch | null = null;
const nodes = new Map<string, Node>();
/** Every bot started, by name: their last lines go into a timeout's message. */
const startedBots = new Map<string, CliProcess>();

async function startNode(id: string, extra: string[] = []): Promise<Node> {
  const { proc, mqttUrl, httpUrl } = await startPongServe(['--cluster', redis!.url, '--node-id', id, '-t', 'all', '--points', POINTS, ...extra]);
  const node = { id, proc, mqttUrl: mqttUrl!, httpUrl: httpUrl! };
  nodes.set(id, node);
  return node;
}

/** Every live node's address, `first`'s first: the bot's own node, then the others to rotate to. */
function addresses(first: Node, kind: 'mqttUrl' | 'httpUrl'): string {
  return [first, ...[...nodes.values()].filter((node) => node !== first)].map((node) => node[kind]).join(',');
}

function bot(gameId: string, player: 1 | 2, transport: TransportName, node: Node): CliProcess {
  const proc = runPong([
    'bot',
    '--game',
    gameId,
    '--player',
    String(player),
    '--transport',
    transport,
    '--server',
    addresses(node, 'httpUrl'),
    '--broker',
    addresses(node, 'mqttUrl'),
    '--skill',
    SKILL,
  ]);
  startedBots.set(`${gameId} p${player} ${transport} via ${node.id}`, proc);
  return proc;
}

async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) {
      const games = [...watch!.games].map(([id, log]) => `${id}: ${log.status} ${log.scores.at(-1)?.p1 ?? '-'}-${log.scores.at(-1)?.p2 ?? '-'} by ${[...log.owners].join(',')}`);
      const logs = [...nodes.values()].map((node) => `--- ${node.id}\n${node.proc.output().split('\n').slice(-40).join('\n')}`);
      const botLogs = [...startedBots].filter(([, proc]) => proc.child.exitCode === null).map(([name, proc]) => `--- bot ${name}\n${proc.output().split('\n').slice(-8).join('\n')}`);
      throw new Error(`timed out waiting for ${what}\n${games.join('\n')}\n${logs.join('\n')}\n${botLogs.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Until the game's score has grown in a state that `by` accepts (another owner, a newer fence). */
async function untilPointAfter(gameId: string, by: (score: { node: string; fence: number }) => boolean): Promise<void> {
  const log = watch!.game(gameId);
  const total = (score: { p1: number; p2: number } | undefined) => (score ? score.p1 + score.p2 : 0);
  const before = total(log.scores.at(-1));
  await until(() => log.scores.some((score) => by(score) && total(score) > before) || log.status === 'ended', 90_000, `a point in ${gameId} after the change`);
}

function expectFinishedCleanly(gameIds: readonly string[]): void {
  for (const id of gameIds) {
    const log = watch!.game(id);
    expect({ id, status: log.status, winner: log.winner !== null }).toEqual({ id, status: 'ended', winner: true });
    expect({ id, backwards: log.backwards }).toEqual({ id, backwards: [] });
    // On failure, who published each seq twice and what the nodes said of the game.
    const said = [...nodes.values()].map((node) => `--- ${node.id}\n${node.proc.output().split('\n').filter((line) => line.includes(id)).join('\n')}`);
    expect({ id, duplicateSeqs: log.duplicateSeqs }, `${log.duplicates.slice(0, 5).join('; ')}\n${said.join('\n')}`).toEqual({ id, duplicateSeqs: [] });
  }
}

beforeAll(async () => {
  if (!available) return;
  redis = await startRedis();
  watch = await watchCluster(redis.url);
  // B first and alone: the games it keeps open (--game) are its own.
  await startNode('B', ['--game', 'cross-0', '--game', 'cross-1']);
  await Promise.all([startNode('A'), startNode('C')]);
}, 60_000);

const benchOut = mkdtempSync(join(tmpdir(), 'pong-bench-cluster-'));

afterAll(async () => {
  await killAll();
  rmSync(benchOut, { recursive: true, force: true });
  await watch?.close();
  await redis?.teardown();
});

describe.skipIf(!available)('pong serve --cluster', () => {
  it('clients on node A play games node B owns, on each transport (a point in each); a mosquitto_sub on node C sees them', async (context) => {
    const a = nodes.get('A')!;
    const c = nodes.get('C')!;
    // Two games, two transports each: every transport plays a game B owns from node A.
    const pairs: Array<[string, TransportName, TransportName]> = [
      ['cross-0', 'mqtt', 'ws'],
      ['cross-1', 'socketio', 'webrtc'],
    ];
    const ids = pairs.map(([id]) => id);
    expect([...(await owners(redis!.url, ids)).values()]).toEqual(['B', 'B']);
    let seen = '';
    if (hasBinary('mosquitto_sub')) {
      const port = new URL(c.mqttUrl).port;
      const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-t', 'pong/game/cross-1/#', '-v'], { stdio: ['ignore', 'pipe', 'ignore'] });
      sub.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString()));
      context.onTestFinished(() => void sub.kill());
    }
    const bots = pairs.flatMap(([id, t1, t2]) => [bot(id, 1, t1, a), bot(id, 2, t2, a)]);
    await until(() => ids.every((id) => watch!.game(id).status === 'playing'), 60_000, 'both games to be on');
    // Interest, measured: what B (the owner) publishes goes to A (its players), and for cross-1
    // to C too (mosquitto_sub there); what A's players publish goes to B, and for cross-1 to C,
    // whose `#` wants the clients' messages too. No node hears what it sent itself, the players'
    // node not one another's paddles, and nodes with nobody watching a game do not get it.
    // (A player listens to the other paddle until the first frame shows frames carry both: then
    // its node stops listening to the clients' side.)
    const sub = hasBinary('mosquitto_sub') ? 1 : 0;
    const channels = ['pong:gs:cross-0', 'pong:gs:cross-1', 'pong:gc:cross-0', 'pong:gc:cross-1', 'pong:go:cross-0', 'pong:go:cross-1'];
    const expected = [1, 1 + sub, 1, 1 + sub, 0, sub];
    let counts = await subscribers(redis!.url, channels);
    for (const deadline = Date.now() + 10_000; JSON.stringify(counts) !== JSON.stringify(expected) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      counts = await subscribers(redis!.url, channels);
    }
    expect(counts).toEqual(expected);
    // Played, not only joined: a point scored in each (whole games are the failover test's).
    await until(() => ids.every((id) => (watch!.game(id).scores.at(-1)?.p1 ?? 0) + (watch!.game(id).scores.at(-1)?.p2 ?? 0) >= 1), 90_000, 'a point in each game');
    for (const id of ids) expect({ id, backwards: watch!.game(id).backwards, duplicateSeqs: watch!.game(id).duplicateSeqs }).toEqual({ id, backwards: [], duplicateSeqs: [] });
    // B ran them (a machine loaded enough to stall B past its lease may have moved one on: that is failover, not a fault).
    for (const id of ids) expect([...watch!.game(id).owners][0]).toBe('B');
    if (hasBinary('mosquitto_sub')) {
      await until(() => /pong\/game\/cross-1\/state \{"status":"playing","p1Score":\d,"p2Score":\d/.test(seen) && /p[12]Score":1/.test(seen), 10_000, 'mosquitto_sub on C to see the point');
      expect(seen).toMatch(/pong\/game\/cross-1\/ball \{"x"/);
      // Retained cluster-wide: C, which nobody asked for cross-0 until now, has its state at once.
      const retained = await new Promise<string>((resolve) => {
        const once = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', new URL(c.mqttUrl).port, '-t', 'pong/game/cross-0/state', '-C', '1', '-W', '10'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        once.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        once.on('exit', () => resolve(out));
      });
      // (Two points end a game: cross-0 may be over by now.)
      expect(JSON.parse(retained)).toMatchObject({ status: expect.stringMatching(/^(playing|ended)$/), fence: expect.any(Number) });
    }
    for (const b of bots) await b.kill();
  }, 150_000);

  it('a client on node C taking the id of a player seated through node A is not that player', async () => {
    const a = nodes.get('A')!;
    const c = nodes.get('C')!;
    // Whose id to take: the join of player 1 on node A, as A's broker shows it.
    const peek = await mqtt.connectAsync(a.mqttUrl, { clientId: 'peek-spoof', reconnectPeriod: 0 });
    let holder = '';
    peek.on('message', (_topic, payload) => {
      const join = JSON.parse(payload.toString()) as { clientId?: string; player?: number };
      if (join.player === 1) holder ||= join.clientId ?? '';
    });
    await peek.subscribeAsync('pong/game/spoof/join');
    const bots = [bot('spoof', 1, 'mqtt', a), bot('spoof', 2, 'ws', a)];
    await until(() => holder !== '' && watch!.game('spoof').status === 'playing', 60_000, 'the game to be on');
    const spoofer = await mqtt.connectAsync(c.mqttUrl, { clientId: holder, reconnectPeriod: 0 });
    const answers: Array<{ granted: boolean }> = [];
    spoofer.on('message', (_topic, payload) => answers.push(JSON.parse(payload.toString()) as { granted: boolean }));
    await spoofer.subscribeAsync(`pong/game/spoof/seat/${holder}`);
    await spoofer.publishAsync('pong/game/spoof/join', JSON.stringify({ player: 1, clientId: holder, timestamp: Date.now() }), { qos: 1 });
    await until(() => answers.length > 0, 10_000, 'the seat answer');
    // No token: at most the nod a client repeating its join gets, never the seat's proof.
    expect(answers[0]).not.toHaveProperty('token');
    // Its paddles are refused by the owner (the seat's token was not in them), and counted.
    for (let i = 0; i < 20; i++) await spoofer.publishAsync('pong/game/spoof/p1/paddle', JSON.stringify({ y: 0, timestamp: Date.now() }));
    const stats = await (async () => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
        const text = await rawRedis(redis!.url, (r) => r.hget('pong:ret:spoof', 'pong/game/spoof/stats'));
        const dropped = text === null ? {} : ((JSON.parse(text.slice(text.indexOf('\n') + 1)) as { dropped?: Record<string, number> }).dropped ?? {});
        if ((dropped['paddle:bad-token'] ?? 0) >= 20) return dropped;
      }
      return {};
    })();
    expect(stats['paddle:bad-token']).toBeGreaterThanOrEqual(20);
    await spoofer.endAsync();
    await peek.endAsync();
    for (const b of bots) await b.kill();
  }, 90_000);

  it('a join that reaches the new owner of a game while it is still subscribing to the game is not lost', async () => {
    // Node 0-slow (first by id and without games: where a new game goes) subscribes 300 ms late.
    // A client on node A opens a game, so 0-slow takes it; 150 ms later a client of 0-slow's
    // own, subscribed to nothing there, joins it: 0-slow owns the game then, its room not made yet.
    const proxy = await slowSubscriberProxy(redis!.url, 300);
    const { proc, mqttUrl } = await startPongServe(['--cluster', proxy.url, '--node-id', '0-slow', '-t', 'mqtt', '--points', POINTS]);
    const a = nodes.get('A')!;
    const game = 'slow-owner';
    const players = async () => {
      const text = await rawRedis(redis!.url, (r) => r.hget(`pong:ret:${game}`, `pong/game/${game}/state`));
      return text === null ? null : (JSON.parse(text.slice(text.indexOf('\n') + 1)) as { players?: { p1: boolean; p2: boolean } }).players ?? null;
    };
    try {
      const p1 = await mqtt.connectAsync(a.mqttUrl, { clientId: 'slow-p1', reconnectPeriod: 0 });
      const p2 = await mqtt.connectAsync(mqttUrl!, { clientId: 'slow-p2', reconnectPeriod: 0 });
      await p1.subscribeAsync(`pong/game/${game}/seat/slow-p1`);
      await p1.publishAsync(`pong/game/${game}/join`, JSON.stringify({ player: 1, clientId: 'slow-p1', timestamp: Date.now() }), { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 150));
      await p2.publishAsync(`pong/game/${game}/join`, JSON.stringify({ player: 2, clientId: 'slow-p2', timestamp: Date.now() }), { qos: 1 });
      let seen: { p1: boolean; p2: boolean } | null = null;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline && seen?.p2 !== true; await new Promise((resolve) => setTimeout(resolve, 100))) seen = await players();
      expect({ owner: (await owners(redis!.url, [game])).get(game), players: seen }).toEqual({ owner: '0-slow', players: { p1: true, p2: true } });
      await Promise.all([p1.endAsync(), p2.endAsync()]);
    } finally {
      await proc.kill('SIGTERM');
      await proxy.close();
    }
  }, 60_000);

  it('kill -9 of the node owning the most games: every game ends with a winner, scores never go back, no frame seq from two owners', async () => {
    const ids = Array.from({ length: 4 }, (_, i) => `spread-${i}`);
    const list = [...nodes.values()];
    const bots = ids.flatMap((id, i) => [
      bot(id, 1, TRANSPORTS[i % 4]!, list[i % 3]!),
      bot(id, 2, TRANSPORTS[(i + 1) % 4]!, list[(i + 1) % 3]!),
    ]);
    await until(() => ids.every((id) => watch!.game(id).status === 'playing'), 60_000, 'every game to be on');
    const owned = await owners(redis!.url, ids);
    const counts = new Map<string, number>();
    for (const node of owned.values()) counts.set(node, (counts.get(node) ?? 0) + 1);
    // Spread: more than one node owns games.
    expect(counts.size).toBeGreaterThan(1);
    const victim = [...counts].sort((x, y) => y[1] - x[1])[0]![0];
    const moved = ids.filter((id) => owned.get(id) === victim);
    nodes.get(victim)!.proc.child.kill('SIGKILL');
    const killedAt = Date.now();
    nodes.delete(victim);
    await until(() => moved.every((id) => [...watch!.game(id).owners].some((node) => node !== victim)), 10_000, 'the killed node\'s games to move');
    const failoverMs = Date.now() - killedAt;
    expect(failoverMs).toBeLessThan(3_000 + 500);
    const codes = await Promise.all(bots.map((b) => b.waitFor(/final score/, 150_000).then(() => b.exited)));
    expect(codes).toEqual(bots.map(() => 0));
    expectFinishedCleanly(ids);
    // The nodes' own Redis channels (requests, clients gone) are not counted as refused input.
    for (const node of nodes.values()) expect(node.proc.output()).not.toMatch(/bad-channel/);
    // A node takes the killed one's place for what follows.
    await startNode('D');
  }, 240_000);

  it('SIGTERM drains: the node hands its game over before it exits, and the game goes on', async () => {
    const ids = ['drain-0'];
    const list = [...nodes.values()];
    const bots = [bot('drain-0', 1, 'ws', list[0]!), bot('drain-0', 2, 'mqtt', list[1]!)];
    await until(() => ids.every((id) => watch!.game(id).status === 'playing'), 60_000, 'the game to be on');
    const owner = (await owners(redis!.url, ids)).get('drain-0')!;
    const node = nodes.get(owner)!;
    nodes.delete(owner);
    await node.proc.kill('SIGTERM');
    expect(node.proc.output()).toMatch(/drained, \d+ games handed over/);
    // Played on by the next owner: a point scored under it (whole games are the failover test's).
    await untilPointAfter('drain-0', (score) => score.node !== owner);
    // Its frames came from the next owner.
    expect([...watch!.game('drain-0').owners].some((id) => id !== owner)).toBe(true);
    expect(watch!.game('drain-0').backwards).toEqual([]);
    expect(watch!.game('drain-0').duplicateSeqs).toEqual([]);
    for (const b of bots) await b.kill();
  }, 200_000);

  it('Redis restarted mid-game, away longer than a lease: owners stop and say so, take their games back when it returns, and the games go on', async () => {
    const ids = ['redis-0'];
    const list = [...nodes.values()];
    const bots = [bot('redis-0', 1, 'socketio', list[0]!), bot('redis-0', 2, 'mqtt', list[1]!)];
    await until(() => ids.every((id) => watch!.game(id).status === 'playing'), 60_000, 'the game to be on');
    const owner = nodes.get((await owners(redis!.url, ids)).get('redis-0')!)!;
    await redis!.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await redis!.start();
    await owner.proc.waitFor(/cannot renew leases \(Redis at \S+ unreachable\): stopped \d+ games; they resume when it is back/);
    await owner.proc.waitFor(/Redis reachable again: taking games back/);
    // Played on after Redis came back: a point scored under a newer fence.
    const fence = watch!.game('redis-0').scores.at(-1)?.fence ?? 0;
    await untilPointAfter('redis-0', (score) => score.fence > fence);
    for (const id of ids) expect(watch!.game(id).backwards).toEqual([]);
    for (const b of bots) await b.kill();
    for (const node of nodes.values()) expect(node.proc.child.exitCode).toBeNull();
  }, 200_000);
});

describe.skipIf(!available)('pong serve --cluster with a node id a running node has', () => {
  it('refuses to start, in one line: two nodes of one id would run the same games', async () => {
    const id = [...nodes.keys()][0]!;
    const proc = runPong(['serve', '--port', '0', '--mqtt-port', '0', '--cluster', redis!.url, '--node-id', id]);
    expect(await proc.exited).toBe(1);
    expect(proc.output().trim()).toBe(`pong: --node-id ${id} is taken: a running node on ${redis!.url} has it`);
  });
});

describe.skipIf(!available)('pong serve --cluster pointing at nothing', () => {
  it('says so in one line and exits 1', async () => {
    const port = await freePort();
    const proc = runPong(['serve', '--port', '0', '--mqtt-port', '0', '--cluster', `redis://127.0.0.1:${port}`]);
    expect(await proc.exited).toBe(1);
    expect(proc.output().trim()).toMatch(/^pong: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(--cluster\): connect ECONNREFUSED [\d.:]+$/);
  });
});

describe.skipIf(!available)('pong bench --cluster --json', () => {
  // Here, after the cluster's own tests rather than beside them: both start many processes.
  it('measures the round trip through another node, CPU against one process and against the bare Redis hop, Redis commands and failover', { timeout: 240_000 }, async () => {
    const bench = runPong(['bench', '--cluster', '--games', '2', '--duration', '2', '--warmup', '3', '--kills', '1', '--json', '--out', benchOut]);
    const code = await bench.exited;
    const text = bench.output();
    expect(code, text).toBe(0);
    const { kind, result } = JSON.parse(text.slice(text.indexOf('{\n'))) as { kind: string; result: ClusterBenchResult };
    expect(kind).toBe('cluster');
    expect(result.games).toBe(2);
    const { owner, otherNode } = result.roundTrip;
    for (const rtt of [owner, otherNode, result.redisHop.rtt]) {
      expect(rtt.p50).toBeGreaterThan(0);
      expect(rtt.p99).toBeGreaterThanOrEqual(rtt.p50);
    }
    expect(result.roundTrip.addedP50).toBeCloseTo(otherNode.p50 - owner.p50, 2);
    expect(result.cpuPerGame.clusterMsPerS).toBeGreaterThan(0);
    expect(result.cpuPerGame.singleMsPerS).toBeGreaterThan(0);
    expect(result.cpuPerGame.ratio).toBeCloseTo(result.cpuPerGame.clusterMsPerS / result.cpuPerGame.singleMsPerS, 2);
    expect(result.redisHop.msPerS).toBeGreaterThan(0);
    expect(result.redisCommandsPerGamePerS).toBeGreaterThan(60);
    expect(result.failover.kills).toBe(1);
    expect(result.failover.msEach).toHaveLength(1);
    for (const ms of result.failover.msEach) expect(ms).toBeGreaterThan(0);
    expect(result.failover.worst).toBe(Math.max(...result.failover.msEach));
    const saved = readdirSync(benchOut).filter((name) => name.endsWith('-cluster.md'));
    expect(saved).toHaveLength(1);
    const md = readFileSync(join(benchOut, saved[0]!), 'utf8');
    // A difference of two medians: on a busy machine it can come out below zero.
    expect(md).toMatch(/\| added by the other node, p50 \/ p99 \| -?[\d.]+ \/ -?[\d.]+ ms \|/);
    expect(md).toMatch(/\| the Redis hop alone, there and back \(two bare processes\), p50 \/ p99: the floor of the added \| [\d.]+ \/ [\d.]+ ms \|/);
    expect(md).toMatch(/\| single \+ the hop alone, over single: the floor of cluster \/ single \| [\d.]+x \|/);
  });
});
