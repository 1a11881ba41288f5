/**
 * A second player process asking for a seat someone else holds is told so in one line and
 * exits non-zero, while the holder plays on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, runPong, startPongServe } from '../helpers/cli.js';

let home = '';
afterAll(async () => {
  await killAll();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('a taken seat', () => {
  it('sends a second claimant away with a hint to watch instead', async () => {
    home = await mkdtemp(path.join(tmpdir(), 'pong-taken-'));
    const server = await startPongServe(['--transport', 'ws', '--game', 'taken']);
    const args = ['bot', '-p', '1', '-g', 'taken', '-t', 'ws', '--server', server.httpUrl!, '--forever'];
    // Two people: each has a state directory of their own, so neither holds the other's token.
    const holder = runPong(args, { XDG_STATE_HOME: path.join(home, 'a') });
    await holder.waitFor(/waiting 0-0/);
    const intruder = runPong(args, { XDG_STATE_HOME: path.join(home, 'b') });
    expect(await intruder.exited).toBe(1);
    expect(intruder.output()).toMatch(/^pong: seat 1 in game taken is taken — watch it with pong watch -g taken$/m);
    expect(holder.child.exitCode).toBeNull();
  }, 60_000);
});
