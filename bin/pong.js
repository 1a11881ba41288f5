#!/usr/bin/env node
// Thin entry point: everything lives in the compiled CLI.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2));
