import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGenerators, formatReport, GENERATORS, missingJava, type GeneratorCheckResult } from '../../src/tools/check-generators.js';
import { PROJECT_ROOT, run, runBin } from '../../src/tools/run.js';
import { startServer, type TestServer } from '../support/server.js';

// The codegen matrix (src/tools/check-generators.ts: 7 TypeScript generators + tsc --strict each, the Java
// JAX-RS generator + javac; about 3 minutes on 2 cores), then, on the same output, round trips with the
// generated TypeScript clients against the reference server: create an account with the
// API key, read it, find it with a search in the recommended form (`searchParams` JSON string), and read it
// again signed with HMAC through the client's per-request hook (docs/snippets/hmac-fetch.ts). The scripts
// that drive each client are docs/snippets/generated-clients/<generator>.ts (quoted in docs/clients.md).
const SNIPPETS = join(PROJECT_ROOT, 'docs/snippets');
const TS_GENERATORS = GENERATORS.filter((g) => g.language === 'TypeScript').map((g) => g.id);

interface Outcome {
  id: string;
  read: string;
  found: string[];
  signedStatus: number;
}

describe('codegen matrix and round trips of the generated clients', () => {
  let server: TestServer;
  let work = '';
  let matrix: GeneratorCheckResult;
  const outcomes = new Map<string, Outcome | string>();

  beforeAll(async () => {
    server = await startServer();
    matrix = await checkGenerators('generated/openapi.yaml', { keep: 'always' });
    work = matrix.workDir;
    console.log(formatReport(matrix));
    cpSync(join(SNIPPETS, 'hmac-fetch.ts'), join(work, 'hmac-fetch.ts'));
    for (const file of readdirSync(join(SNIPPETS, 'generated-clients'))) cpSync(join(SNIPPETS, 'generated-clients', file), join(work, file));
    for (const id of TS_GENERATORS) {
      if (!matrix.rows.find((row) => row.id === id)?.generate.ok) {
        outcomes.set(id, 'not generated');
        continue;
      }
      const r = await runBin('tsx', 'tsx', [join(work, `${id}.ts`), id], {
        cwd: work,
        env: { ESPO_API_ROOT: server.baseUrl, ESPO_API_KEY: server.hmac.apiKey, ESPO_SECRET_KEY: server.hmac.secretKey },
        timeoutMs: 120_000,
      });
      const last = r.stdout.trim().split('\n').pop() ?? '';
      try {
        outcomes.set(id, JSON.parse(last) as Outcome);
      } catch {
        outcomes.set(id, `exit ${r.code}: ${r.stdout.slice(-600)}\n${r.stderr.slice(-1200)}`);
      }
    }
    const rows = TS_GENERATORS.map((id) => {
      const o = outcomes.get(id);
      return typeof o === 'object' ? `${id}: creates yes, reads ${o.read ? 'yes' : 'NO'}, searches ${o.found.length === 1 && o.found[0] === o.id ? 'yes' : 'NO'}, signs ${o.signedStatus === 200 ? 'yes' : `NO (${o.signedStatus})`}` : `${id}: FAILED ${o}`;
    });
    console.log(`Round trips:\n  ${rows.join('\n  ')}`);
  }, 900_000);

  afterAll(async () => {
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('every generator generates from generated/openapi.yaml and its output compiles', () => {
    expect(matrix.rows.map((r) => r.id)).toEqual(GENERATORS.map((g) => g.id));
    for (const row of matrix.rows) {
      expect(row.generate.ok, `${row.tool}: ${row.generate.summary}\n${row.generate.detail ?? ''}`).toBe(true);
      expect(row.compile, row.tool).toBeDefined();
      if (row.compile?.skipped) {
        // Only the Java compile may skip, and only when Debian's JDK or jars are missing (.ci/run installs them).
        expect(row.language).toBe('Java');
        expect(missingJava().length).toBeGreaterThan(0);
        console.warn(`Java compile SKIPPED: ${row.compile.summary}`);
      } else {
        expect(row.compile?.ok, `${row.tool}: ${row.compile?.summary}\n${row.compile?.detail ?? ''}`).toBe(true);
      }
    }
  });

  it.each(TS_GENERATORS)('%s: create, read, search through searchParams, HMAC-signed read', (id) => {
    const outcome = outcomes.get(id);
    expect(typeof outcome, String(outcome)).toBe('object');
    const o = outcome as Outcome;
    expect(o.id).toMatch(/^[0-9a-f]{17}$/);
    expect(o.read).toMatch(new RegExp(`^Round trip ${id} \\d+$`));
    expect(o.found).toEqual([o.id]);
    expect(o.signedStatus).toBe(200);
  });

  it('the server answers 401 to a wrong HMAC secret (the hook really signs)', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', '-e', [
      `import { hmacFetch } from ${JSON.stringify(join(SNIPPETS, 'hmac-fetch.ts'))};`,
      `const f = hmacFetch(${JSON.stringify(server.baseUrl)}, 'test-key', 'wrong-secret');`,
      `const r = await f(${JSON.stringify(`${server.baseUrl}/Account?maxSize=1`)});`,
      'console.log(r.status);',
    ].join('\n')], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });
    expect(r.stdout.trim(), r.stderr).toBe('401');
  });
});
