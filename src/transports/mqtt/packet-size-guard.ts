/**
 * Reads the fixed header of every MQTT packet as its bytes arrive, beside the broker's own
 * parser, and says stop the moment one announces more than the limit. Aedes' parser keeps
 * every byte of a packet until the packet is whole, and its hooks see the packet only then: a
 * PUBLISH announcing 268 MB would be buffered to the end before anything could refuse it. Here
 * the cost of a packet is refused from its first five bytes.
 *
 * Only headers are parsed; bodies are skipped by count, so a chunk costs one step per packet.
 */

/**
 * Largest packet a client may send: a CONNECT with a 4 KiB will, or a SUBSCRIBE of 64 filters
 * of 256 characters, fit with room to spare; nothing of pong's comes near.
 */
export const MQTT_MAX_PACKET_BYTES = 32 * 1024;

/** The Remaining Length field has at most four bytes (MQTT 3.1.1, 2.2.3). */
const MAX_LENGTH_BYTES = 4;

export class PacketSizeGuard {
  /** Bytes of the current packet's body still to come; -1 while reading a header. */
  private bodyLeft = -1;
  /** Within a header: the first byte was read, the length is being read. */
  private inLength = false;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;

  constructor(private readonly maxBytes: number = MQTT_MAX_PACKET_BYTES) {}

  /**
   * `too-large`: a packet announces more than the limit; close the connection. `malformed`: not
   * MQTT (a reserved packet type, a length over four bytes), which the broker's own parser
   * refuses as it reaches it; nothing after it is read. `ok`: so far so good.
   */
  feed(chunk: Uint8Array): 'ok' | 'too-large' | 'malformed' {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const skipped = Math.min(this.bodyLeft, chunk.length - i);
        i += skipped;
        this.bodyLeft -= skipped;
        continue;
      }
      if (!this.inLength) {
        // The packet type: 0 and 15 are reserved in MQTT 3.1.1. Its flags are the parser's to judge.
        const type = chunk[i]! >> 4;
        if (type === 0 || type === 15) return 'malformed';
        i += 1;
        this.inLength = true;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      const byte = chunk[i++]!;
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      if (this.length > this.maxBytes) return 'too-large';
      if ((byte & 0x80) !== 0) {
        if (this.lengthBytes === MAX_LENGTH_BYTES) return 'malformed';
        continue;
      }
      this.inLength = false;
      this.bodyLeft = this.length;
    }
    return 'ok';
  }
}
