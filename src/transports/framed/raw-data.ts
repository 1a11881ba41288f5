import type { RawData } from 'ws';

/** ws hands a message over as a Buffer, a list of fragments or an ArrayBuffer. */
export function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
