/**
 * Watches a cluster from Redis itself: every message an owner publishes for a game passes
 * through the game's "from its owner" channel, so a test reads there who published which frame and every state,
 * whichever node published it, and checks the promises: no frame seq from two owners, no score
 * going back, every game ending with a winner.
 */
import { Redis } from 'ioredis';

export interface GameLog {
  /** seq → the node that published that ball frame, and under which fence. */
  seqOwners: Map<number, string>;
  /** Each frame seq published twice: by whom, under which fences (for a failure's message). */
  duplicates: string[];
  /** Ball frames whose seq another node had published too. */
  duplicateSeqs: number[];
  /** Scores as the states said them, in order. */
  scores: Array<{ p1: number; p2: number; node: string; fence: number }>;
  /** Scores that went back (score lower than one seen before). */
  backwards: string[];
  status: string;
  winner: number | null;
  owners: Set<string>;
}

export interface ClusterWatch {
  games: Map<string, GameLog>;
  game(id: string): GameLog;
  close(): Promise<void>;
}

export async function watchCluster(url: string): Promise<ClusterWatch> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  redis.on('error', () => {});
  await redis.connect();
  const games = new Map<string, GameLog>();
  const game = (id: string): GameLog => {
    let log = games.get(id);
    if (!log) games.set(id, (log = { seqOwners: new Map(), duplicates: [], duplicateSeqs: [], scores: [], backwards: [], status: 'none', winner: null, owners: new Set() }));
    return log;
  };
  redis.on('pmessage', (_pattern: string, channel: string, text: string) => {
    const end = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, end)) as { n: string; f: number; s: 0 | 1; t: string };
    if (header.s !== 1) return;
    const id = channel.slice('pong:gs:'.length);
    const log = game(id);
    const payload = text.slice(end + 1);
    if (header.t.endsWith('/ball')) {
      const seq = (JSON.parse(payload) as { seq: number }).seq;
      const before = log.seqOwners.get(seq);
      const by = `${header.n}@${header.f}`;
      if (before !== undefined && before.slice(0, before.lastIndexOf('@')) !== header.n) {
        log.duplicateSeqs.push(seq);
        log.duplicates.push(`seq ${seq}: ${before}, then ${by}`);
      }
      log.seqOwners.set(seq, by);
      log.owners.add(header.n);
    } else if (header.t.endsWith('/state') && payload.length > 0) {
      const state = JSON.parse(payload) as { status: string; p1Score: number; p2Score: number; winner?: number | null };
      const last = log.scores.at(-1);
      // A new match (a restart) starts from 0-0; within one, no score goes back.
      if (last && state.status !== 'waiting' && (state.p1Score < last.p1 || state.p2Score < last.p2)) {
        log.backwards.push(`${last.p1}-${last.p2} → ${state.p1Score}-${state.p2Score} (node ${header.n}, fence ${header.f})`);
      }
      log.scores.push({ p1: state.p1Score, p2: state.p2Score, node: header.n, fence: header.f });
      log.status = state.status;
      log.winner = state.winner ?? null;
    }
  });
  await redis.psubscribe('pong:gs:*');
  return {
    games,
    game,
    async close() {
      redis.disconnect();
    },
  };
}

/** Which node holds each game's lease now. */
export async function owners(url: string, gameIds: readonly string[]): Promise<Map<string, string>> {
  const redis = new Redis(url, { lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();
  const out = new Map<string, string>();
  for (const id of gameIds) {
    const lease = await redis.get(`pong:own:${id}`);
    if (lease !== null) out.set(id, lease.slice(0, lease.lastIndexOf(':')));
  }
  redis.disconnect();
  return out;
}

/** How many connections subscribe to each channel (PUBSUB NUMSUB): which nodes listen to a game. */
export async function subscribers(url: string, channels: readonly string[]): Promise<number[]> {
  const redis = new Redis(url, { lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();
  const reply = (await redis.call('PUBSUB', 'NUMSUB', ...channels)) as Array<string | number>;
  redis.disconnect();
  return channels.map((_, i) => Number(reply[i * 2 + 1]));
}

/** One short-lived connection to Redis for a test's own question. */
export async function rawRedis<T>(url: string, ask: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();
  try {
    return await ask(redis);
  } finally {
    redis.disconnect();
  }
}
