/**
 * Tests that need a system binary (mosquitto_sub, tmux) skip on a developer machine without it,
 * but fail under CI=true: CI installs them, so a missing one there is a broken setup, not a
 * reason to pass.
 */
import { spawnSync } from 'node:child_process';

export function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name} || test -x /usr/sbin/${name}`], { stdio: 'ignore' }).status === 0;
}

/** True when the test should run; throws under CI when the binary is missing. */
export function requireBinary(name: string): boolean {
  if (hasBinary(name)) return true;
  // test/setup/ink-outside-ci.ts moves CI to PONG_CI before any test runs.
  if ((process.env.PONG_CI ?? process.env.CI) === 'true') throw new Error(`${name} is not installed, and CI=true requires it (apt-get install the package that ships ${name})`);
  return false;
}
