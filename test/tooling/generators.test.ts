import { describe, expect, it } from 'vitest';
import { checkGenerators } from '../../src/tools/check-generators.js';

// The full codegen matrix on generated/openapi.yaml runs in codegen-roundtrip.test.ts, which reuses its output
// for the round trips. Here: the matrix catches what linters accept.
describe('codegen matrix (src/tools/check-generators.ts)', () => {
  it('catches style: deepObject on an array parameter, which every linter accepts', { timeout: 180_000 }, async () => {
    const result = await checkGenerators('test/tooling/fixtures/deep-object-array.yaml', { keep: 'never', only: ['hey-api', 'ogp-java-jaxrs'] });
    const [hey, java] = result.rows;
    expect(result.ok).toBe(false);
    expect(hey?.compile?.ok).toBe(false);
    expect(hey?.compile?.detail).toMatch(/"deepObject"' is not assignable to type 'ArrayStyle/);
    expect(java?.generate.ok).toBe(false);
    expect(java?.generate.detail).toMatch(/Encoding style "deepObject" is not appropriate for schema type ARRAY/);
  });
});
