/**
 * Which direction keys are held down, from key events alone. Terminals normally send no key-up:
 * a held key shows up as one press, then auto-repeats after an initial delay (250–600 ms) at
 * 15–35 Hz, so a key counts as held until its repeats stop. A first press is only "tentative"
 * until a repeat confirms it, so that a tap can be told from a hold. With the kitty keyboard
 * protocol the terminal reports repeat and release, and a key is held until its release.
 * The timeouts follow the auto-repeat actually observed (see RepeatRate) unless fixed by options.
 * Time is passed in, never read, so tests drive it.
 */
import { RepeatRate } from './repeat-rate.js';

export type HoldKey = 'up' | 'down';
export type KeyEventType = 'press' | 'repeat' | 'release';
/** What an event did: began a hold, extended one, ended one. */
export type HoldChange = 'started' | 'continued' | 'ended' | 'none';

export interface KeyHoldOptions {
  /** How long after a press the first repeat may come: above the slowest initial delay. */
  initialTimeoutMs?: number;
  /** How long after a repeat the next may come: above the slowest repeat interval (~67 ms). */
  repeatTimeoutMs?: number;
  /**
   * With release events, a key whose release got lost would stay held for ever; held keys keep
   * repeating, so silence this long means the release was missed.
   */
  releaseLostMs?: number;
  /** The input reports every release (a browser's keyup): a press is a hold from its first event. */
  releases?: boolean;
}

interface Hold {
  pressedAt: number;
  lastEventAt: number;
  /** When the key was known to be held (first repeat, or the press itself with releases). */
  confirmedAt: number;
  /** A repeat arrived, or the terminal reports releases: the key is really held down. */
  confirmed: boolean;
  /** Ends only on a release event (or releaseLostMs of silence). */
  explicit: boolean;
}

export class KeyHold {
  private readonly fixedInitialMs: number | undefined;
  private readonly fixedRepeatMs: number | undefined;
  private readonly releaseLostMs: number;
  readonly repeat = new RepeatRate();
  private readonly holds = new Map<HoldKey, Hold>();
  /**
   * Set by the first repeat or release event. Until then an event without a type, or a kitty
   * "press" (which a terminal that accepted only some of the protocol's flags also sends), may
   * never be followed by a release, so it is timed out like a legacy key.
   */
  private releasesReported = false;

  constructor(options: KeyHoldOptions = {}) {
    this.fixedInitialMs = options.initialTimeoutMs;
    this.fixedRepeatMs = options.repeatTimeoutMs;
    this.releaseLostMs = options.releaseLostMs ?? 1000;
    this.releasesReported = options.releases ?? false;
  }

  private get initialTimeoutMs(): number {
    return this.fixedInitialMs ?? this.repeat.timeouts.initialMs;
  }

  private get repeatTimeoutMs(): number {
    return this.fixedRepeatMs ?? this.repeat.timeouts.repeatMs;
  }

  get reportsReleases(): boolean {
    return this.releasesReported;
  }

  event(key: HoldKey, now: number, type?: KeyEventType): HoldChange {
    if (type === 'repeat' || type === 'release') this.releasesReported = true;
    const held = this.isHeld(key, now);

    if (type === 'release') {
      this.holds.delete(key);
      return held ? 'ended' : 'none';
    }

    if (this.releasesReported) {
      // Kitty arrows come as a plain CSI A on press and only carry a type on repeat/release.
      const hold = this.holds.get(key);
      if (held && hold) {
        if (!hold.confirmed) hold.confirmedAt = now;
        hold.lastEventAt = now;
        hold.confirmed = true;
        hold.explicit = true;
        return 'continued';
      }
      this.holds.set(key, { pressedAt: now, lastEventAt: now, confirmedAt: now, confirmed: true, explicit: true });
      return 'started';
    }

    const hold = this.holds.get(key);
    if (held && hold) {
      if (hold.confirmed) this.repeat.observeInterval(now - hold.lastEventAt);
      else {
        this.repeat.observeDelay(now - hold.pressedAt);
        hold.confirmedAt = now;
      }
      hold.lastEventAt = now;
      hold.confirmed = true;
      return 'continued';
    }
    // Auto-repeat only ever repeats the last key pressed, so a new key ends the other's hold.
    for (const [other, otherHold] of this.holds) {
      if (other !== key && !otherHold.explicit) this.holds.delete(other);
    }
    this.holds.set(key, { pressedAt: now, lastEventAt: now, confirmedAt: Infinity, confirmed: false, explicit: false });
    return 'started';
  }

  /** When the hold ends if no further event arrives; -Infinity when the key is up. */
  heldUntil(key: HoldKey): number {
    const hold = this.holds.get(key);
    if (!hold) return -Infinity;
    if (hold.explicit) return hold.lastEventAt + this.releaseLostMs;
    return hold.confirmed ? hold.lastEventAt + this.repeatTimeoutMs : hold.pressedAt + this.initialTimeoutMs;
  }

  /** When the key's hold was confirmed (the glide starts there); Infinity if it is not. */
  confirmedAt(key: HoldKey): number {
    return this.holds.get(key)?.confirmedAt ?? Infinity;
  }

  isHeld(key: HoldKey, now: number): boolean {
    return now < this.heldUntil(key);
  }

  isConfirmed(key: HoldKey, now: number): boolean {
    return this.isHeld(key, now) && (this.holds.get(key)?.confirmed ?? false);
  }

  /** The held key pressed most recently: it wins when both are down (kitty only). */
  activeKey(now: number): HoldKey | null {
    let best: HoldKey | null = null;
    let bestAt = -Infinity;
    for (const [key, hold] of this.holds) {
      if (this.isHeld(key, now) && hold.pressedAt > bestAt) {
        best = key;
        bestAt = hold.pressedAt;
      }
    }
    return best;
  }

  releaseAll(): void {
    this.holds.clear();
  }
}
