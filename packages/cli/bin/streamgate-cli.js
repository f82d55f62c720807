#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping): no build step.
import { main } from '../src/index.ts';

// `streamgate-cli audit | head -1`: a reader that stops early is not a failure worth a stack trace.
process.stdout.on('error', (error) => {
  process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : 1);
});

process.exitCode = await main(process.argv.slice(2));
