import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GENERATED_HEADER, PATHS_DIR, renderPathFiles, stalePathFiles } from '../../src/tools/gen-paths.js';
import { LINKS } from '../../src/tools/link-paths-table.js';

describe('generated path files (npm run gen:paths)', () => {
  it('the committed files are what the table renders', () => {
    expect(stalePathFiles()).toEqual([]);
  });

  it('every Account link has its file, marked as generated, and openapi.yaml references each one', () => {
    const files = renderPathFiles();
    const root = readFileSync(join(PATHS_DIR, '..', 'openapi.yaml'), 'utf8');
    for (const { link } of LINKS) {
      const name = `Account_{id}_${link}.yaml`;
      expect(files.get(name)?.split('\n')[0]).toBe(GENERATED_HEADER);
      expect(root).toContain(`/Account/{id}/${link}:\n    $ref: paths/${name}`);
    }
  });

  it('the link paragraph is stated once and appears in both the list and the relate description', () => {
    const item = parse(renderPathFiles().get('Account_{id}_cases.yaml')!) as Record<string, { description: string }>;
    const about = LINKS.find((l) => l.link === 'cases')!.about.join(' ');
    expect(item.get!.description.split('\n\n')[0]).toBe(about);
    expect(item.post!.description.split('\n\n')[1]).toBe(about);
  });

  it('a sentence marked listOnly appears in the list description only', () => {
    const item = parse(renderPathFiles().get('Account_{id}_contacts.yaml')!) as Record<string, { description: string }>;
    expect(item.get!.description).toContain('With `select`, each contact also carries `accountId`');
    expect(item.post!.description).not.toContain('With `select`');
  });
});
