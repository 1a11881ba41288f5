/**
 * The cluster's atomic steps, as Lua scripts Redis runs whole: no home-made consensus, only
 * Redis's single-threaded execution. Names are built from keys.ts's prefixes.
 *
 * - acquire: a lease for a game nobody holds, with the next fencing number: never below
 *   Redis's clock in ms, so fences keep growing even after a Redis that lost its data (nodes
 *   remember the highest fence they saw, and would take a restarted count for a deposed owner).
 * - tick: a node's heartbeat, the renewal of every lease it holds (compare-and-set on
 *   `<node>:<fence>`; a lease that lapsed while nobody took it is the same owner's again,
 *   as long as the fence is still its), the games left without an owner, the live nodes.
 * - commit: an owner's retained message, saved (with the game's record when it is the state)
 *   and published in one step, only while the fence is still the owner's: a node that lost
 *   its game can publish nothing that others keep, and no state is seen before it is saved.
 * - save: a record written back under the same fence check (a node's last word on a game).
 * - release: a lease let go by its holder only.
 * - place: who owns a game, or the least loaded live node for a new one.
 */
import { KEYS, PREFIX } from './keys.js';

const P = (name: keyof typeof PREFIX) => `'${PREFIX[name]}'`;

export const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local f = redis.call('INCR', KEYS[2])
local now = redis.call('TIME')
local floor = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if f < floor then
  f = floor
  redis.call('SET', KEYS[2], string.format('%d', f))
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. f, 'PX', ARGV[2])
return {f, redis.call('GET', KEYS[3]) or '', redis.call('GET', KEYS[4]) or '0', redis.call('SISMEMBER', '${KEYS.pinned}', ARGV[3])}
`;

export const TICK = `
local node = ARGV[1]
redis.call('SET', ${P('node')} .. node, ARGV[3], 'PX', ARGV[4])
redis.call('SADD', '${KEYS.nodes}', node)
local n = tonumber(ARGV[5])
redis.call('HSET', '${KEYS.load}', node, n)
local held = {}
for i = 0, n - 1 do
  local g = ARGV[6 + i * 3]
  local f = ARGV[7 + i * 3]
  local lease = ${P('lease')} .. g
  local mine = node .. ':' .. f
  local cur = redis.call('GET', lease)
  local ok = 0
  if cur == mine then
    redis.call('PEXPIRE', lease, ARGV[2])
    ok = 1
  elseif cur == false and redis.call('GET', ${P('fence')} .. g) == f then
    redis.call('SET', lease, mine, 'PX', ARGV[2])
    ok = 1
  end
  if ok == 1 then redis.call('SET', ${P('seq')} .. g, ARGV[8 + i * 3]) end
  held[#held + 1] = ok
end
local orphans = {}
for _, g in ipairs(redis.call('SUNION', '${KEYS.active}', '${KEYS.pinned}')) do
  if redis.call('EXISTS', ${P('lease')} .. g) == 0 then orphans[#orphans + 1] = g end
end
local nodes = {}
for _, id in ipairs(redis.call('SMEMBERS', '${KEYS.nodes}')) do
  local info = redis.call('GET', ${P('node')} .. id)
  if info then
    nodes[#nodes + 1] = id
    nodes[#nodes + 1] = info
  else
    redis.call('SREM', '${KEYS.nodes}', id)
    redis.call('HDEL', '${KEYS.load}', id)
  end
end
return {held, orphans, nodes}
`;

export const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', '${KEYS.active}', ARGV[6])
elseif ARGV[2] ~= '-' then
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('SADD', '${KEYS.active}', ARGV[6])
end
if ARGV[7] == '1' then
  redis.call('HDEL', KEYS[3], ARGV[3])
  if redis.call('EXISTS', KEYS[3]) == 0 then redis.call('SREM', '${KEYS.games}', ARGV[6]) end
else
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  redis.call('SADD', '${KEYS.games}', ARGV[6])
end
redis.call('PUBLISH', ARGV[5], ARGV[4])
return 1
`;

export const SAVE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', '${KEYS.active}', ARGV[4])
else
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('SADD', '${KEYS.active}', ARGV[4])
end
redis.call('SET', KEYS[3], ARGV[3])
return 1
`;

export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

export const PLACE = `
local cur = redis.call('GET', ${P('lease')} .. ARGV[1])
if cur then return {'owned', cur} end
local best = false
local bestLoad = nil
for _, id in ipairs(redis.call('SMEMBERS', '${KEYS.nodes}')) do
  if redis.call('EXISTS', ${P('node')} .. id) == 1 then
    local load = tonumber(redis.call('HGET', '${KEYS.load}', id) or '0') or 0
    if bestLoad == nil or load < bestLoad or (load == bestLoad and id < best) then
      best = id
      bestLoad = load
    end
  end
end
if best then redis.call('HINCRBY', '${KEYS.load}', best, 1) end
return {'free', best or ''}
`;

export const SCRIPTS = { acquire: ACQUIRE, tick: TICK, commit: COMMIT, save: SAVE, release: RELEASE, place: PLACE } as const;
export type ScriptName = keyof typeof SCRIPTS;
