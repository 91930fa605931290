import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's client example is test/client/readme-example.ts (type-checked with the tests), with the
// package import instead of the relative one. This keeps the published snippet compiling.
const root = fileURLToPath(new URL('../../', import.meta.url));
const example = readFileSync(`${root}test/client/readme-example.ts`, 'utf8');
const expected = example
  .split('\n')
  .slice(1) // the "Run:" comment; the README says how to run it
  .join('\n')
  .replace("from '../../src/client/index.js';", "from 'espocrm-account-api/client';")
  .trimEnd();

const documents = ['README.md']
  .map((path) => ({ path, text: existsSync(`${root}${path}`) ? readFileSync(`${root}${path}`, 'utf8') : '' }))
  .filter(({ text }) => text.includes('## Typed client'));

describe('README client section', () => {
  it('exists', () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(documents)('$path shows test/client/readme-example.ts', ({ text }) => {
    const section = text.slice(text.indexOf('## Typed client'));
    const block = /```ts\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(block).toBe(expected);
  });
});
