/**
 * Engine.io's attach() takes over the HTTP server: it removes every existing 'request'
 * listener and calls them from its own for paths that are not its own, and adds 'upgrade',
 * 'close' and 'listening' listeners. Socket.io only undoes that by closing the HTTP server
 * itself, which would take the shared port (ws, WebRTC signaling) down with it.
 *
 * attachReversibly() records the listeners around attach() so that the gateway can detach
 * exactly what it added. Several engines may be attached to one server (Socket.io here, WebRTC
 * signaling over Socket.io on another path), each wrapping the 'request' listeners it found,
 * and they may be detached in any order: so the wrapper is replaced by a stand-in that, once
 * detached, passes every request on to the listeners the engine had taken, and that is
 * removed outright when nobody has wrapped it since.
 */
import type { Server } from 'node:http';

const TOUCHED_EVENTS = ['request', 'upgrade', 'close', 'listening'] as const;

export type TouchedEvent = (typeof TOUCHED_EVENTS)[number];

type Listener = (...args: unknown[]) => void;

function listenersOf(http: Server, event: TouchedEvent): Listener[] {
  return http.rawListeners(event) as Listener[];
}

function replaceListeners(http: Server, event: TouchedEvent, listeners: readonly Listener[]): void {
  http.removeAllListeners(event);
  for (const listener of listeners) http.on(event, listener);
}

/**
 * Runs `attach`, at once removes whatever it added for the `withheld` events (their traffic is
 * routed some other way, e.g. upgrades through the UpgradeRouter), and returns the function
 * that detaches the rest.
 */
export function attachReversibly(
  http: Server,
  attach: () => void,
  withheld: readonly Exclude<TouchedEvent, 'request'>[] = [],
): () => void {
  const before = new Map(TOUCHED_EVENTS.map((event) => [event, listenersOf(http, event)]));
  attach();
  const added = new Map<TouchedEvent, Listener[]>();
  const taken = new Map<TouchedEvent, Listener[]>();
  for (const event of TOUCHED_EVENTS) {
    const previous = before.get(event) ?? [];
    const now = listenersOf(http, event);
    added.set(event, now.filter((listener) => !previous.includes(listener)));
    taken.set(event, previous.filter((listener) => !now.includes(listener)));
  }
  for (const event of withheld) for (const listener of added.get(event) ?? []) http.removeListener(event, listener);

  const wrappers = added.get('request') ?? [];
  const underneath = taken.get('request') ?? [];
  let attached = true;
  const standIn: Listener = function (this: Server, ...args: unknown[]) {
    for (const listener of attached ? wrappers : underneath) listener.apply(this, args);
  };
  const wrapsRequests = wrappers.length > 0 || underneath.length > 0;
  if (wrapsRequests) {
    const others = listenersOf(http, 'request').filter((listener) => !wrappers.includes(listener));
    replaceListeners(http, 'request', [standIn, ...others]);
  }

  return () => {
    if (!attached) return;
    attached = false;
    for (const event of TOUCHED_EVENTS) {
      if (event === 'request' || (withheld as readonly TouchedEvent[]).includes(event)) continue;
      for (const listener of added.get(event) ?? []) http.removeListener(event, listener);
    }
    if (!wrapsRequests) return;
    // Still on top: put back what the engine took, where the stand-in stands. Wrapped by a
    // later engine: stay, as the pass-through that later engine now calls.
    const now = listenersOf(http, 'request');
    if (now.includes(standIn)) {
      replaceListeners(
        http,
        'request',
        now.flatMap((listener) => (listener === standIn ? underneath : [listener])),
      );
    }
  };
}
