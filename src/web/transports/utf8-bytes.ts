/** A text's UTF-8 size, for the page's wire counters: what a frame of that text carries. */
const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  // Frames are ASCII nearly always: then the size is the length, with nothing encoded.
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return encoder.encode(text).byteLength;
  return text.length;
}
