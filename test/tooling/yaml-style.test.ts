import { describe, expect, it } from 'vitest';
import { yamlStyle, yamlStyleProblems } from '../../src/tools/lint-extra.js';

const prose = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('YAML layout rule (lint-extra yamlStyle)', () => {
  it('every YAML file under openapi/ passes', () => {
    const step = yamlStyle();
    expect(step.output).toBe('');
    expect(step.status).toBe('ok');
  });

  it('reports tabs, trailing whitespace and long prose lines with their line numbers', () => {
    const text = ['a: 1', 'b:\t2', 'c: 3 ', '  ', `description: ${prose(25)}`, `ok: ${prose(10)}`].join('\n');
    expect(yamlStyleProblems(text)).toEqual([
      'line 2: tab character',
      'line 3: trailing whitespace',
      'line 4: trailing whitespace',
      expect.stringMatching(/^line 5: 1\d\d characters/),
    ]);
  });

  it('lets through long lines that wrapping cannot shorten: URLs and words longer than a line', () => {
    const encoded = `  Example: \`searchParams=${'%7B%22a%22%3A1%7D'.repeat(10)}\`.`;
    const url = `    see https://example.com/${'x'.repeat(60)} ${prose(10)}`;
    expect(yamlStyleProblems([encoded, url].join('\n'))).toEqual([]);
  });

  it('reports a long word that would fit on a line of its own', () => {
    expect(yamlStyleProblems(`example: '${'x'.repeat(112)}'`)).toHaveLength(1);
  });
});
