import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, run } from '../../src/tools/run.js';
import { startServer, type TestServer } from '../support/server.js';

// The HMAC snippets of docs/clients.md (docs/snippets/hmac/*), run against the reference server: each signs a
// search in the recommended searchParams form and must find exactly the account created here.
const DIR = join(PROJECT_ROOT, 'docs/snippets/hmac');
const SNIPPETS = [
  { language: 'Python (standard library)', probe: ['python3', ['--version']], command: ['python3', [join(DIR, 'espo_hmac.py')]], missing: 'python3' },
  { language: 'PHP', probe: ['php', ['--version']], command: ['php', [join(DIR, 'hmac.php')]], missing: 'php-cli' },
  { language: 'Java (JDK HttpClient)', probe: ['java', ['-version']], command: ['java', [join(DIR, 'Hmac.java')]], missing: 'openjdk-17-jdk-headless' },
  { language: 'Node', probe: [process.execPath, ['--version']], command: [process.execPath, [join(DIR, 'hmac.mjs')]], missing: 'node' },
] as const;

describe('HMAC snippets of docs/clients.md against the reference server', () => {
  let server: TestServer;
  let id = '';
  const name = `Snippet & Co ${Date.now()}`;

  beforeAll(async () => {
    server = await startServer();
    const res = await fetch(`${server.baseUrl}/Account`, {
      method: 'POST',
      headers: { 'X-Api-Key': server.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    id = ((await res.json()) as { id: string }).id;
  });
  afterAll(() => server.close());

  it.for(SNIPPETS)('$language signs a searchParams search and finds the account', { timeout: 120_000 }, async (snippet, ctx) => {
    const probe = await run(snippet.probe[0], [...snippet.probe[1]]);
    if (probe.code !== 0) {
      console.warn(`SKIPPED ${snippet.language}: ${snippet.missing} is not installed`);
      ctx.skip();
    }
    const env = { ESPO_API_ROOT: server.baseUrl, ESPO_API_KEY: server.hmac.apiKey, ESPO_SECRET_KEY: server.hmac.secretKey, ESPO_SEARCH_NAME: name };
    const ok = await run(snippet.command[0], [...snippet.command[1]], { env, timeoutMs: 100_000 });
    expect(ok.stdout.trim(), ok.stderr).toBe(`200 ${id}`);
    // A wrong secret must not pass: the snippet really signs.
    const bad = await run(snippet.command[0], [...snippet.command[1]], { env: { ...env, ESPO_SECRET_KEY: 'wrong' }, timeoutMs: 100_000 });
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/401|Unauthorized/);
  });
});
