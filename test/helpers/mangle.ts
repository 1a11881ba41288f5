/**
 * Seeded text mangling for tests that pit a fast decoder against the general one: a failure
 * reproduces from its seed.
 */

/** A small linear congruential generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `text` with one to three random inserts, deletions or replacements of `alphabet`'s characters. */
export function mangle(text: string, alphabet: string, next: () => number): string {
  let out = text;
  for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
    const at = Math.floor(next() * (out.length + 1));
    const char = alphabet[Math.floor(next() * alphabet.length)]!;
    const op = next();
    if (op < 0.4) out = out.slice(0, at) + char + out.slice(at);
    else if (op < 0.7) out = out.slice(0, at) + out.slice(at + 1);
    else out = out.slice(0, at) + char + out.slice(at + 1);
  }
  return out;
}
