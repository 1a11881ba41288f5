/**
 * Where `pong serve` keeps its games when not told: one file per address it serves, so two
 * servers on one machine never resume each other's games. A server on a port the OS picks
 * cannot be found again at the same address after a restart, so it gets no default file.
 */
import path from 'node:path';
import type { TransportName } from '../transports/transport.js';
import { fileSafe, stateDir } from './state-dir.js';

export interface ServedAddress {
  transports: readonly TransportName[];
  host: string;
  port: number;
  mqttPort: number;
  broker?: string | undefined;
}

export function defaultStateFile(address: ServedAddress, dir = stateDir()): string | null {
  const parts: string[] = [];
  if (address.transports.some((name) => name !== 'mqtt')) {
    if (address.port === 0) return null;
    parts.push(`${address.host}-${address.port}`);
  }
  if (address.transports.includes('mqtt')) {
    if (address.broker !== undefined) parts.push(address.broker);
    else if (address.mqttPort === 0) return null;
    else parts.push(`${address.host}-mqtt${address.mqttPort}`);
  }
  return path.join(dir, `serve-${fileSafe(parts.join('-'))}.json`);
}
