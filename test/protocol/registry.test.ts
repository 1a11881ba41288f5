/**
 * The message registry drives topic parsing, validation, the publish policy and the dispatch
 * of rooms and sessions: these check that what is written by hand around it (the topic kinds'
 * types, the server's kinds) agrees with it, so a new kind cannot be half added.
 */
import { describe, expect, it } from 'vitest';
import { CLIENT_KINDS, isServerKind, MESSAGE_KINDS, MESSAGES, type PayloadKind } from '../../src/protocol/registry.js';
import { parseTopic, topicOf, topicsReceived } from '../../src/protocol/topics.js';
import { decodePayload } from '../../src/protocol/validate.js';

const paramOf = (kind: PayloadKind) =>
  MESSAGES[kind].topic.includes('{player}') ? 2 : MESSAGES[kind].topic.includes('{clientId}') ? 'client-7' : undefined;

describe('the message registry', () => {
  it('gives every kind a topic that parses back to that kind, with its player or client', () => {
    for (const kind of MESSAGE_KINDS) {
      const param = paramOf(kind);
      const parsed = parseTopic(topicOf(kind, 'g-1', param));
      expect(parsed, kind).not.toBeNull();
      expect(parsed!.kind).toBe(kind);
      expect(parsed!.gameId).toBe('g-1');
      if (param === 2) expect(parsed).toMatchObject({ player: 2 });
      if (param === 'client-7') expect(parsed).toMatchObject({ clientId: 'client-7' });
    }
  });

  it('splits the kinds into the server\'s and the clients\', the server\'s never retained by a client', () => {
    expect(MESSAGE_KINDS.filter(isServerKind).sort()).toEqual(['ball', 'seat', 'state', 'stats', 'watcherStats']);
    expect([...CLIENT_KINDS].sort()).toEqual(['ack', 'join', 'leave', 'paddle', 'ready', 'restart', 'serve', 'watcherAck']);
    for (const kind of CLIENT_KINDS) expect(MESSAGES[kind].retain, kind).toBe(false);
  });

  it('decodes no kind from an empty object: every kind has required fields', () => {
    for (const kind of MESSAGE_KINDS) expect(decodePayload(kind, '{}').ok, kind).toBe(false);
  });

  it('puts nothing but the paddle under p1/ and p2/, where classic clients take every message for a paddle', () => {
    for (const kind of MESSAGE_KINDS) {
      const topic = topicOf(kind, 'g', 1);
      if (kind !== 'paddle') expect(topic.startsWith('pong/game/g/p1/'), `${kind}: ${topic}`).toBe(false);
    }
    expect(topicOf('ack', 'g', 2)).toBe('pong/game/g/ack/p2');
  });

  it('still reads an ack where older pong clients send it, and listens there too', () => {
    expect(parseTopic('pong/game/g/p2/ack')).toEqual({ gameId: 'g', kind: 'ack', player: 2 });
    expect(topicsReceived('ack', 'g', '+')).toEqual(['pong/game/g/ack/+', 'pong/game/g/+/ack']);
    expect(topicsReceived('paddle', 'g', '+')).toEqual(['pong/game/g/+/paddle']);
  });

  it('matches no topic outside the table', () => {
    for (const topic of ['pong/game/g/p3/paddle', 'pong/game/g/ack/p3', 'pong/game/g/ack', 'pong/game/g/ball/extra', 'pong/game/g/seat', 'pong/game/g/watch/x/other', 'pong/other/g/ball']) {
      expect(parseTopic(topic), topic).toBeNull();
    }
  });
});
