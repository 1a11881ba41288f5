/**
 * Everything the CLI reports to a person is one line: "pong: what went wrong — what to do".
 * Known failures carry their line; anything else is reduced to its message, never a stack.
 */
import { TransportError } from '../transports/transport.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function describeError(error: unknown): string {
  if (error instanceof CliError || error instanceof TransportError) return error.message;
  if (error instanceof Error) return error.message.split('\n')[0] ?? 'unknown error';
  return String(error);
}

export function exitWithError(error: unknown): never {
  process.stderr.write(`pong: ${describeError(error)}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}
