/**
 * One decoded client frame applied to its hub session: shared by the ws gateway and the WebRTC
 * server session, which speak the same framing. Returns the refusal to answer with `err`.
 */
import type { HubRefusal, HubSession } from '../hub.js';
import type { ClientFrame } from './framing.js';

export function applyClientFrame(session: HubSession, frame: ClientFrame): { refusal: HubRefusal; detail: string } | null {
  switch (frame.kind) {
    case 'sub':
      return refused(session.subscribe(frame.filter), frame.filter);
    case 'unsub':
      session.unsubscribe(frame.filter);
      return null;
    case 'pub':
      return refused(session.publish(frame), frame.topic);
    case 'will':
      return refused(session.setWill(frame.will), frame.will?.topic ?? '');
    case 'bye':
      session.goodbye();
      return null;
  }
}

/** Module-level, not a closure per call: this runs for every frame a client sends. */
function refused(refusal: HubRefusal | null, detail: string): { refusal: HubRefusal; detail: string } | null {
  return refusal === null ? null : { refusal, detail };
}
