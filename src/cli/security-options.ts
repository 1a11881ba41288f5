/**
 * The TLS and credential flags, for the server and for clients:
 *
 *   pong serve --tls-cert FILE --tls-key FILE [--mqtts-port 8883]   https/wss on --port, and
 *              an mqtts listener on the embedded broker
 *   pong serve --broker mqtts://host --username U --password P [--ca FILE]   an external broker
 *   pong play|watch|bot --server https://host:8080 [--ca FILE]
 *   pong play|watch|bot --broker mqtts://host:8883 [--ca FILE] [--username U --password P]
 *
 * Files are read when the flags are parsed, so a missing one is a one-line error at once.
 */
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { DEFAULT_MQTTS_PORT } from '../transports/mqtt/url.js';
import { CliError } from './errors.js';

/** What a client needs beyond the shared client flags. */
export interface ClientSecurity {
  ca?: string;
  username?: string;
  password?: string;
}

export function withClientSecurityOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('ca', { type: 'string', describe: 'Trust this PEM certificate (a self-signed server\'s) for https, wss and mqtts' })
    .option('username', { type: 'string', describe: 'mqtt: broker username' })
    .option('password', { type: 'string', describe: 'mqtt: broker password' });
}

export function clientSecurity(argv: Record<string, unknown>): ClientSecurity {
  return {
    ...(typeof argv['ca'] === 'string' ? { ca: readPem('--ca', argv['ca']) } : {}),
    ...(typeof argv['username'] === 'string' ? { username: argv['username'] } : {}),
    ...(typeof argv['password'] === 'string' ? { password: argv['password'] } : {}),
  };
}

export function withServerSecurityOptions<T>(yargs: Argv<T>) {
  return withClientSecurityOptions(yargs)
    .option('tls-cert', { type: 'string', describe: 'PEM certificate: serve https/wss, and mqtts on the embedded broker' })
    .option('tls-key', { type: 'string', describe: 'PEM private key for --tls-cert' })
    .option('mqtts-port', { type: 'number', default: DEFAULT_MQTTS_PORT, describe: 'Embedded broker\'s TLS port (with --tls-cert)' })
    .check((argv) => {
      if ((argv['tls-cert'] === undefined) !== (argv['tls-key'] === undefined)) throw new CliError('give --tls-cert and --tls-key together', 2);
      const port = argv['mqtts-port'];
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliError(`invalid --mqtts-port '${String(port)}': expected a port number 0-65535`, 2);
      }
      return true;
    });
}

/** ServerOptions.tls: the HTTP port's certificate. */
export function serverTls(argv: Record<string, unknown>): { tls?: { cert: string; key: string } } {
  const cert = argv['tlsCert'];
  const key = argv['tlsKey'];
  if (typeof cert !== 'string' || typeof key !== 'string') return {};
  return { tls: { cert: readPem('--tls-cert', cert), key: readPem('--tls-key', key) } };
}

/** ServerOptions.extra.mqtt: the embedded broker's TLS listener, or the external broker's credentials. */
export function mqttSecurity(argv: Record<string, unknown>): Record<string, unknown> {
  return { ...serverTls(argv), mqttsPort: argv['mqttsPort'], ...clientSecurity(argv) };
}

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${flag} ${file} — ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
}
