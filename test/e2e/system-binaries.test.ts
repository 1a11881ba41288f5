/**
 * The rule for tests that need Mosquitto or tmux: skip on a developer's machine without them,
 * fail under CI=true, where .ci/run installs them and their absence is a broken setup.
 */
import { afterEach, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';

const saved = process.env.PONG_CI;
afterEach(() => {
  if (saved === undefined) delete process.env.PONG_CI;
  else process.env.PONG_CI = saved;
});

it('fails under CI when a required binary is missing', () => {
  process.env.PONG_CI = 'true';
  expect(() => requireBinary('pong-no-such-binary')).toThrow(/not installed, and CI=true requires it/);
});

it('skips outside CI when a required binary is missing', () => {
  process.env.PONG_CI = 'false';
  expect(requireBinary('pong-no-such-binary')).toBe(false);
});

it('runs when the binary is there', () => {
  process.env.PONG_CI = 'true';
  expect(requireBinary('sh')).toBe(true);
});
