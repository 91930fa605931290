import { describe, expect, it } from 'vitest';
import { checkGenerators, formatReport, GENERATORS, missingJava } from '../../src/tools/check-generators.js';

// The codegen matrix (src/tools/check-generators.ts): 7 TypeScript generators + tsc --strict each, and the Java
// JAX-RS generator + javac. About 3 minutes on 2 cores; docs/clients.md lists the figures.
describe('codegen matrix (src/tools/check-generators.ts)', () => {
  it('every generator generates from generated/openapi.yaml and its output compiles', { timeout: 600_000 }, async () => {
    const result = await checkGenerators('generated/openapi.yaml');
    console.log(formatReport(result));
    expect(result.rows.map((r) => r.id)).toEqual(GENERATORS.map((g) => g.id));
    expect(result.ok, formatReport(result)).toBe(true);
    for (const row of result.rows) {
      expect(row.generate.ok, row.tool).toBe(true);
      expect(row.compile, row.tool).toBeDefined();
      if (row.compile?.skipped) {
        // Only the Java compile may skip, and only when Debian's JDK or jars are missing (.ci/run installs them).
        expect(row.language).toBe('Java');
        expect(missingJava().length).toBeGreaterThan(0);
        console.warn(`Java compile SKIPPED: ${row.compile.summary}`);
      } else {
        expect(row.compile?.ok, `${row.tool}: ${row.compile?.summary}`).toBe(true);
      }
    }
  });

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
