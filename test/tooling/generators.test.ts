import { describe, expect, it } from 'vitest';
import { checkGenerators, formatReport } from '../../src/tools/check-generators.js';

// Runs real code generators (hey-api + tsc, openapi-generator-plus java-jaxrs): about 10 s per spec.
describe('code generators (src/tools/check-generators.ts)', () => {
  it('generate from generated/openapi.yaml; the hey-api client compiles under tsc --strict', { timeout: 120_000 }, async () => {
    const result = await checkGenerators('generated/openapi.yaml');
    expect(result.ok, formatReport(result)).toBe(true);
  });

  it('catch style: deepObject on an array parameter, which every linter accepts', { timeout: 120_000 }, async () => {
    const result = await checkGenerators('test/tooling/fixtures/deep-object-array.yaml', { keep: 'never' });
    const failed = Object.fromEntries(result.steps.map((s) => [s.name.split(' ')[0], s]));
    expect(result.ok).toBe(false);
    expect(failed['tsc']?.ok).toBe(false);
    expect(failed['tsc']?.detail).toMatch(/"deepObject"' is not assignable to type 'ArrayStyle/);
    expect(failed['openapi-generator-plus']?.ok).toBe(false);
    expect(failed['openapi-generator-plus']?.detail).toMatch(/Encoding style "deepObject" is not appropriate for schema type ARRAY/);
  });
});
