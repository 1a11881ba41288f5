/**
 * Messages over a bare TCP stream: a 4-byte big-endian byte count, then that many bytes of
 * UTF-8 text. TCP delivers a byte stream, not messages, so even the least protocol must say
 * where one ends; a length prefix says it without scanning the text.
 */

/** Longer than any frame or ack the floor sends; a longer prefix is a broken stream. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
const PREFIX_BYTES = 4;

export function lengthPrefixed(text: string): Buffer {
  const size = Buffer.byteLength(text, 'utf8');
  const buffer = Buffer.allocUnsafe(PREFIX_BYTES + size);
  buffer.writeUInt32BE(size, 0);
  buffer.write(text, PREFIX_BYTES, 'utf8');
  return buffer;
}

/**
 * Cuts a stream's chunks into messages, however the kernel split or joined them. A prefix
 * over MAX_MESSAGE_BYTES means the stream is not ours, or broken: the reader stops for good
 * and says so, and its owner drops the connection.
 */
export class LengthPrefixedReader {
  /** What arrived and is not yet a whole message: joined only once one is whole. */
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** The byte count of the message being read, once its prefix is in. */
  #size: number | null = null;
  #broken = false;

  constructor(private readonly onMessage: (text: string) => void) {}

  get broken(): boolean {
    return this.#broken;
  }

  /** Every whole message in `chunk` (and what came before it) goes to onMessage; false once broken. */
  push(chunk: Buffer): boolean {
    if (this.#broken) return false;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered < PREFIX_BYTES || (this.#size !== null && this.#buffered < PREFIX_BYTES + this.#size)) return true;
    const data = this.#joined();
    let offset = 0;
    for (;;) {
      const left = data.length - offset;
      if (this.#size === null) {
        if (left < PREFIX_BYTES) break;
        const size = data.readUInt32BE(offset);
        if (size > MAX_MESSAGE_BYTES) {
          this.#broken = true;
          this.#chunks = [];
          this.#buffered = 0;
          return false;
        }
        this.#size = size;
      }
      if (left < PREFIX_BYTES + this.#size) break;
      const start = offset + PREFIX_BYTES;
      offset = start + this.#size;
      this.#size = null;
      this.onMessage(data.toString('utf8', start, offset));
    }
    // A copy of the rest, so the chunk the socket handed over is not kept alive by a few bytes of it.
    this.#chunks = offset === data.length ? [] : [Buffer.from(data.subarray(offset))];
    this.#buffered = data.length - offset;
    return true;
  }

  /** Everything buffered as one buffer: joined only when a whole message is in it. */
  #joined(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#buffered)];
    return this.#chunks[0]!;
  }
}
