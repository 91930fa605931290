import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAPTURED } from '../support/wire-captures.js';

// shared/ sits beside the repository, on developer machines and in CI alike.
const document = fileURLToPath(new URL('../../../shared/reference/wire-captures.md', import.meta.url));

describe('wire-capture fixtures', () => {
  it.skipIf(!existsSync(document))('are byte-identical copies of blocks in wire-captures.md', () => {
    const text = readFileSync(document, 'utf8');
    for (const [name, raw] of Object.entries(CAPTURED)) {
      expect(text.includes(`\`\`\`http\n${raw}\n\`\`\``), name).toBe(true);
    }
  });
});
