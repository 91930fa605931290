#!/usr/bin/env node
// The `espo-conformance` executable: compiled to dist/ for the package; in a clone, espo-conformance.mjs
// runs it through tsx.
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
