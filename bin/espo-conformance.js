#!/usr/bin/env node
// The `espo-conformance` executable. In a clone it runs the TypeScript sources through tsx (no build
// needed); in the installed package, which ships no sources, the compiled JavaScript in dist/ on plain node.
import { existsSync } from 'node:fs';

const clone = new URL('../src/conformance/espo-conformance.mjs', import.meta.url);
await import(existsSync(clone) ? clone.href : '../dist/src/conformance/bin.js');
