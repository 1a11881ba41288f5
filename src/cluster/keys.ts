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
  /** Pub/sub: every message of one game. */
  gameChannel: 'pong:g:',
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
  /** Pub/sub pattern of every game channel. */
  allGames: 'pong:g:*',
} as const;

export const leaseKey = (gameId: string) => PREFIX.lease + gameId;
export const fenceKey = (gameId: string) => PREFIX.fence + gameId;
export const recordKey = (gameId: string) => PREFIX.record + gameId;
export const seqKey = (gameId: string) => PREFIX.seq + gameId;
export const retainedKey = (gameId: string) => PREFIX.retained + gameId;
export const gameChannel = (gameId: string) => PREFIX.gameChannel + gameId;
export const nodeChannel = (nodeId: string) => PREFIX.nodeChannel + nodeId;

/** The game id of a game channel, or null. */
export function gameOfChannel(channel: string): string | null {
  return channel.startsWith(PREFIX.gameChannel) ? channel.slice(PREFIX.gameChannel.length) : null;
}
