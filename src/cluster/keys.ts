/**
 * Every name the cluster uses in Redis, in one place. The Lua scripts (scripts.ts) build the
 * per-game names from the same prefixes, so a script and the code around it cannot disagree.
 */
export const PREFIX = {
  /** The game's lease: `<node>:<fence>`, with a TTL the owner renews. */
  lease: 'pong:own:',
  /** The game's fencing counter: incremented by every new owner. */
  fence: 'pong:fence:',
  /** The game in progress (RoomSnapshot + the seq of its last frame), saved on every change. */
  record: 'pong:rec:',
  /** The seq the owner had reached at its last renewal. */
  seq: 'pong:seq:',
  /** Hash topic → envelope of the game's retained messages (state, stats). */
  retained: 'pong:ret:',
  /** A node's heartbeat: `<games> <advertised address>`, with a TTL. */
  node: 'pong:node:',
  /**
   * Pub/sub, one game's traffic in three channels, so that no node is sent back what it
   * published itself (Redis has no "not to me"), and players elsewhere are not sent what only
   * observers want. From its owner: what its room publishes (frames, state, seat answers).
   * To its owner: what clients of other nodes publish. Beside its owner: what the owner's own
   * clients publish, for the clients elsewhere that subscribe to other clients' messages.
   */
  fromOwner: 'pong:gs:',
  toOwner: 'pong:gc:',
  besideOwner: 'pong:go:',
  /** Pub/sub: requests to one node (open or take a game). */
  nodeChannel: 'pong:n:',
} as const;

export const KEYS = {
  /** Games in progress (they have a record): taken over when their lease lapses. */
  active: 'pong:active',
  /** Games the servers keep open (`--game`), played or not. */
  pinned: 'pong:pinned',
  /** Games with retained messages. */
  games: 'pong:games',
  /** Nodes that have said they are alive (each until its heartbeat lapses). */
  nodes: 'pong:nodes',
  /** Hash node → games it runs or was just given: where new games go. */
  load: 'pong:load',
  /** Pub/sub: a client's connection ended on some node. */
  gone: 'pong:gone',
} as const;

/** A game's three channels (see PREFIX). */
export type Flow = 'fromOwner' | 'toOwner' | 'besideOwner';
export const FLOWS: readonly Flow[] = ['fromOwner', 'toOwner', 'besideOwner'];

export const leaseKey = (gameId: string) => PREFIX.lease + gameId;
export const fenceKey = (gameId: string) => PREFIX.fence + gameId;
export const recordKey = (gameId: string) => PREFIX.record + gameId;
export const seqKey = (gameId: string) => PREFIX.seq + gameId;
export const retainedKey = (gameId: string) => PREFIX.retained + gameId;
export const gameChannel = (gameId: string, flow: Flow) => PREFIX[flow] + gameId;
/** The pub/sub pattern of one flow of every game. */
export const allGamesPattern = (flow: Flow) => `${PREFIX[flow]}*`;
export const nodeChannel = (nodeId: string) => PREFIX.nodeChannel + nodeId;

/** The game and flow of a game channel, or null (not a game channel). */
export function gameOfChannel(channel: string): { gameId: string; flow: Flow } | null {
  for (const flow of FLOWS) if (channel.startsWith(PREFIX[flow])) return { gameId: channel.slice(PREFIX[flow].length), flow };
  return null;
}
