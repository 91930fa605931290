#!/usr/bin/env node
// The `espo-conformance` executable. Like `espo-ref`, the project runs its TypeScript through tsx without a
// build step: this launcher registers tsx's loader (with the project's tsconfig, whatever the working
// directory) and hands over to the TypeScript entry.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
