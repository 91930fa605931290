import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAPTURED } from '../support/wire-captures.js';

// shared/ (the project's reference notes) sits beside the repository on developer machines and in CI;
// a clone without it skips this check, and says so.
const document = fileURLToPath(new URL('../../../shared/reference/wire-captures.md', import.meta.url));
const present = existsSync(document);

if (!present) console.warn(`captures.test.ts: SKIPPING the fixture check: ${document} does not exist (no ../shared beside the repository).`);

describe('wire-capture fixtures', () => {
  if (!present) {
    it.skip(`SKIPPED: ${document} does not exist (no ../shared beside the repository)`, () => {});
    return;
  }
  it('are byte-identical copies of blocks in wire-captures.md', () => {
    const text = readFileSync(document, 'utf8');
    for (const [name, raw] of Object.entries(CAPTURED)) {
      expect(text.includes(`\`\`\`http\n${raw}\n\`\`\``), name).toBe(true);
    }
  });
});
