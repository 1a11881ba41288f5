/**
 * Two engines on one HTTP server, detached in either order: every request is answered once,
 * by its owner while attached and by the server's own handler afterwards.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { attachReversibly } from '../../src/transports/socketio/http-listeners.js';

type Handler = (request: IncomingMessage) => void;

/** What engine.io's attach() does to a server's listeners, for one path prefix. */
function engineLikeAttach(http: Server, prefix: string, answer: (who: string) => void): void {
  const cached = http.listeners('request').slice(0) as Handler[];
  http.removeAllListeners('request');
  http.on('close', () => undefined);
  http.on('listening', () => undefined);
  http.on('request', (request: IncomingMessage) => {
    if (request.url?.startsWith(prefix)) answer(prefix);
    else for (const listener of cached) listener.call(http, request);
  });
  http.on('upgrade', () => undefined);
}

function setup() {
  const answers: string[] = [];
  const http = createServer((request) => answers.push(`host ${request.url}`));
  const counts = () => ({
    request: http.listenerCount('request'),
    upgrade: http.listenerCount('upgrade'),
    close: http.listenerCount('close'),
    listening: http.listenerCount('listening'),
  });
  const initial = counts();
  const hit = (url: string) => {
    answers.length = 0;
    http.emit('request', { url } as IncomingMessage);
    return [...answers];
  };
  const detachA = attachReversibly(http, () => engineLikeAttach(http, '/a/', (who) => answers.push(who)), ['upgrade']);
  const detachB = attachReversibly(http, () => engineLikeAttach(http, '/b/', (who) => answers.push(who)));
  return { http, hit, detachA, detachB, counts, initial };
}

describe('attachReversibly', () => {
  it('routes each request to exactly one listener while both are attached', () => {
    const { hit, counts, initial } = setup();
    expect(hit('/a/x')).toEqual(['/a/']);
    expect(hit('/b/x')).toEqual(['/b/']);
    expect(hit('/other')).toEqual(['host /other']);
    // A's upgrade listener was withheld, B's kept.
    expect(counts().upgrade).toBe(initial.upgrade + 1);
  });

  it.each([
    ['first attached, first detached', ['A', 'B']],
    ['last attached, first detached', ['B', 'A']],
  ])('hands the server back intact when detached %s', (_name, order) => {
    const { hit, detachA, detachB, counts, initial, http } = setup();
    const [first, second] = order.map((which) => (which === 'A' ? detachA : detachB)) as [() => void, () => void];
    const firstName = order[0] === 'A' ? '/a/' : '/b/';
    const secondName = order[0] === 'A' ? '/b/' : '/a/';

    first();
    expect(hit(`${firstName}x`)).toEqual([`host ${firstName}x`]);
    expect(hit(`${secondName}x`)).toEqual([secondName]);
    expect(hit('/other')).toEqual(['host /other']);

    second();
    expect(hit('/a/x')).toEqual(['host /a/x']);
    expect(hit('/b/x')).toEqual(['host /b/x']);
    expect(counts()).toEqual(initial);
    second();
    expect(http.listenerCount('request')).toBe(initial.request);
  });
});
