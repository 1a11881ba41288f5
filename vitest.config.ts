import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup/ink-outside-ci.ts'],
    // Real sockets and child processes: generous timeouts, and files in separate forks so a
    // broker in one file never shares a port or event loop with another.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
