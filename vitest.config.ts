import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The unit project: tests that run in memory alone, no child process, no socket (not even on
 * loopback), so the whole project takes seconds (`npm run test:unit`). A test file is in it only
 * if a pattern below names it; every other file is an integration test, so a new test that
 * starts a server or a process never slows the quick loop by accident.
 */
const UNIT = [
  'test/{bus,game,metrics,protocol,ui,compare,plots}/**/*.test.{ts,tsx}',
  'test/bot/brain.test.ts',
  'test/web/links.test.ts',
  'test/client/{smooth*,paddle-outbox,seat-holder}.test.ts',
  'test/cluster/envelope.test.ts',
  'test/bench/{ack-log,machine-pauses,plots,render-frames,report-rounds,scale-rounds,scheduler}.test.ts',
  'test/transports/{address-ring,mqtt-echo-filter,registry,socketio-events,socketio-http-listeners,token-bucket,webrtc-signaling,ws-backoff,ws-framing}.test.ts',
];
const ALL = ['test/**/*.test.ts', 'test/**/*.test.tsx'];

export default defineConfig({
  test: {
    setupFiles: ['test/setup/ink-outside-ci.ts'],
    // Real sockets and child processes: generous timeouts, and files in separate forks so a
    // broker in one file never shares a port or event loop with another.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      // Real components over real sockets on loopback, and real processes (pong serve, mosquitto, tmux).
      { extends: true, test: { name: 'integration', include: ALL, exclude: [...configDefaults.exclude, ...UNIT] } },
    ],
  },
});
