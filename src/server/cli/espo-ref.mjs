#!/usr/bin/env node
// `espo-ref` in a clone, without a build: registers tsx's loader (with the project's tsconfig, whatever the
// working directory) and runs the TypeScript entry. The installed package runs dist/src/server/cli/bin.js.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
await import('./bin.ts');
