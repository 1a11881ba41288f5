#!/usr/bin/env node
// Thin entry point: everything lives in the compiled CLI. React picks its build from NODE_ENV
// when first imported, and the development build costs 10-20% more CPU at 60 fps.
process.env.NODE_ENV ??= 'production';
// Ink draws only the final frame when CI is set; a person at a terminal is not a CI log.
if (process.stdout.isTTY) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
const { main } = await import('../dist/cli/main.js');
await main(process.argv.slice(2));
