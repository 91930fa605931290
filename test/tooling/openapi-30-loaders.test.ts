import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, run } from '../../src/tools/run.js';

// The OpenAPI 3.0.3 companion must load outside JavaScript: Go's kin-openapi (Debian
// golang-github-getkin-kin-openapi-dev, what oapi-codegen builds on) and Python's openapi-spec-validator.
const COMPANION = join(PROJECT_ROOT, 'generated/openapi-3.0.yaml');
const KIN = '/usr/share/gocode/src/github.com/getkin/kin-openapi';

describe('the OpenAPI 3.0 companion in non-JavaScript loaders', () => {
  const work = mkdtempSync(join(tmpdir(), 'espo-loaders-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('loads and validates in Go kin-openapi (Debian), which cannot read the 3.1 bundle', { timeout: 300_000 }, async (ctx) => {
    const go = await run('go', ['version']);
    const missing = [go.code !== 0 ? 'golang-go (go)' : '', existsSync(KIN) ? '' : 'golang-github-getkin-kin-openapi-dev'].filter(Boolean);
    if (missing.length) {
      console.warn(`SKIPPED: not installed: ${missing.join(', ')} (.ci/run installs them)`);
      ctx.skip();
    }
    const src = join(work, 'go/src/loader');
    mkdirSync(src, { recursive: true });
    cpSync(join(PROJECT_ROOT, 'test/tooling/fixtures/kin-loader/main.go'), join(src, 'main.go'));
    const env = { GO111MODULE: 'off', GOPATH: `${join(work, 'go')}:/usr/share/gocode`, GOCACHE: join(work, 'gocache'), GOFLAGS: '' };
    const build = await run('go', ['build', '-o', join(work, 'kin-loader'), '.'], { cwd: src, env, timeoutMs: 240_000 });
    expect(build.code, build.stderr).toBe(0);
    const loaded = await run(join(work, 'kin-loader'), [COMPANION]);
    console.log(`kin-openapi: ${loaded.stdout.trim()}`);
    expect(loaded.code, loaded.stdout).toBe(0);
    expect(loaded.stdout).toMatch(/^OK openapi 3\.0\.3, \d+ paths/);
    // Why the companion exists: the 3.1 bundle's type arrays do not load.
    const bundle31 = await run(join(work, 'kin-loader'), [join(PROJECT_ROOT, 'generated/openapi.yaml')]);
    expect(bundle31.code).toBe(1);
    expect(bundle31.stdout).toMatch(/cannot unmarshal array into Go value of type string/);
  });

  it('validates in Python openapi-spec-validator as OpenAPI 3.0', { timeout: 120_000 }, async (ctx) => {
    const probe = await run('python3', ['-c', 'import openapi_spec_validator']);
    if (probe.code !== 0) {
      console.warn('SKIPPED: python3 or its module openapi_spec_validator is not installed');
      ctx.skip();
    }
    const script = [
      'import sys, yaml',
      'from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator',
      'errors = list(OpenAPIV30SpecValidator(yaml.safe_load(open(sys.argv[1]))).iter_errors())',
      'print(len(errors), [e.message[:200] for e in errors[:5]])',
    ].join('\n');
    const r = await run('python3', ['-c', script, COMPANION], { timeoutMs: 120_000 });
    expect(r.stdout.trim(), r.stderr).toBe('0 []');
  });
});
