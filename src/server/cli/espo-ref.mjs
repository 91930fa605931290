#!/usr/bin/env node
// The `espo-ref` executable. The project runs its TypeScript through tsx without a build step, so this
// launcher registers tsx's loader (with the project's tsconfig, whatever the working directory) and hands
// over to the TypeScript entry.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
const { main } = await import('./main.ts');
await main();
