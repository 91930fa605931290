#!/usr/bin/env node
// The `espo-ref` executable: compiled to dist/ for the package; in a clone, espo-ref.mjs runs it through tsx.
import { main } from './main.js';

await main();
