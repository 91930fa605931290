/**
 * Every code sample of the docs page (src/tools/code-samples.ts) runs as printed against the reference
 * server: curl (bash, openssl for HMAC), TypeScript (this project's client, through tsx), PHP (php-cli with
 * the curl extension) and Python (python3). Only the base URL, the demo credentials and the example IDs
 * are replaced by the test server's; each run's output is checked, and so is the server's state after it.
 * The TypeScript samples are also type-checked against the client. A language whose tool is missing is
 * skipped with the name of what to install.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_IMPORT,
  renderSample,
  SAMPLE_ACCOUNT_ID,
  SAMPLE_API_KEY,
  SAMPLE_CONTACT_ID,
  SAMPLE_LANGUAGES,
  SAMPLE_REQUESTS,
  SAMPLE_SECRET_KEY,
  SAMPLE_SITE,
  withCodeSamples,
  type SampleLanguage,
  type SampleRequest,
} from '../../src/tools/code-samples.js';
import { loadBundle } from '../../src/spec/bundle.js';
import { binPath, PROJECT_ROOT, run } from '../../src/tools/run.js';
import { startServer, TEST_API_KEY, TEST_API_SECRET, type TestServer } from '../support/server.js';

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What each language needs; a message naming the missing part, or undefined when all is there. */
const MISSING: Record<SampleLanguage, string | undefined> = {
  curl: works('curl', ['--version']) && works('openssl', ['version']) && works('bash', ['--version']) ? undefined : 'curl, openssl and bash (apt-get install -y curl openssl)',
  php: works('php', ['-r', 'exit(function_exists("curl_init") ? 0 : 1);']) ? undefined : 'php with the curl extension (apt-get install -y php-cli php-curl)',
  python: works('python3', ['--version']) ? undefined : 'python3 (apt-get install -y python3)',
  typescript: undefined,
};
for (const [language, missing] of Object.entries(MISSING)) {
  if (missing) console.warn(`code-samples.test.ts: SKIPPING the ${language} samples: ${missing} is missing.`);
}

describe('the code-sample table', () => {
  it('matches the contract: every row is an operation of the bundle with that method and path', () => {
    const doc = withCodeSamples(loadBundle());
    for (const request of SAMPLE_REQUESTS) {
      const samples = doc.paths[request.path]?.[request.method.toLowerCase() as 'get']?.['x-codeSamples'] as { label: string }[];
      expect(samples.map((sample) => sample.label)).toEqual(['curl', 'TypeScript', 'PHP', 'Python']);
    }
    expect(() => withCodeSamples({ ...loadBundle(), paths: {} })).toThrow(/listAccounts is not GET \/Account/);
  });

  it('covers the main Account operations, with both an API key and HMAC', () => {
    const ids = SAMPLE_REQUESTS.map((request) => request.operationId);
    for (const id of ['listAccounts', 'getAccount', 'createAccount', 'updateAccount', 'deleteAccount', 'listAccountContacts', 'relateAccountContacts']) {
      expect(ids).toContain(id);
    }
    expect(new Set(SAMPLE_REQUESTS.map((request) => request.auth))).toEqual(new Set(['apiKey', 'hmac']));
  });
});

describe('every code sample runs as printed against the reference server', () => {
  let server: TestServer;
  let work: string;
  let origin: string;
  /** An account named for the list sample's search; it also has one contact and stays for the reads. */
  let listed: { accountId: string; contactId: string };

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; data: unknown }> {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { 'X-Api-Key': server.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, data: text ? JSON.parse(text) : undefined };
  }

  async function create(entity: 'Account' | 'Contact', body: Record<string, unknown>): Promise<string> {
    const { status, data } = await api('POST', `/${entity}`, body);
    expect(status).toBe(200);
    return (data as { id: string }).id;
  }

  async function linkedContactIds(accountId: string): Promise<string[]> {
    const { data } = await api('GET', `/Account/${accountId}/contacts`);
    return (data as { list: { id: string }[] }).list.map((item) => item.id);
  }

  beforeAll(async () => {
    server = await startServer();
    origin = new URL(server.baseUrl).origin;
    work = mkdtempSync(join(tmpdir(), 'espo-samples-'));
    // The TypeScript samples import the package's client export; tsx maps it to the source here.
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023', 'dom'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
          paths: { [CLIENT_IMPORT]: [join(PROJECT_ROOT, 'src/client/index.ts')] },
        },
      }),
    );
    const accountId = await create('Account', { name: 'Acme Sample Ltd', type: 'Customer', website: 'https://sample.example' });
    const contactId = await create('Contact', { firstName: 'Jane', lastName: 'Sample' });
    expect((await api('POST', `/Account/${accountId}/contacts`, { id: contactId })).status).toBe(200);
    listed = { accountId, contactId };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The sample with the test server's URL, credentials and IDs in place of the printed ones. */
  function localise(source: string, ids: { accountId: string; contactId?: string }): string {
    let text = source
      .replaceAll(SAMPLE_SITE, origin)
      .replaceAll(SAMPLE_SECRET_KEY, TEST_API_SECRET)
      .replaceAll(SAMPLE_API_KEY, TEST_API_KEY)
      .replaceAll(SAMPLE_ACCOUNT_ID, ids.accountId);
    if (ids.contactId) text = text.replaceAll(SAMPLE_CONTACT_ID, ids.contactId);
    return text;
  }

  async function runSample(language: SampleLanguage, source: string): Promise<unknown> {
    const file = join(work, { curl: 'sample.sh', typescript: 'sample.mts', php: 'sample.php', python: 'sample.py' }[language]);
    writeFileSync(file, source);
    const [cmd, args] = {
      curl: ['bash', ['-e', '-o', 'pipefail', file]],
      typescript: [process.execPath, [binPath('tsx', 'tsx'), '--tsconfig', join(work, 'tsconfig.json'), file]],
      php: ['php', [file]],
      python: ['python3', [file]],
    }[language] as [string, string[]];
    const result = await run(cmd, args, { cwd: work, timeoutMs: 120_000 });
    expect(result.code, `${language} sample failed:\n${source}\n--- stderr:\n${result.stderr}\n--- stdout:\n${result.stdout}`).toBe(0);
    return JSON.parse(result.stdout);
  }

  /** Per operation: the records it needs, and what must hold after it ran. */
  const CHECKS: Record<string, (request: SampleRequest, language: SampleLanguage) => Promise<void>> = {
    listAccounts: async (request, language) => {
      const out = (await runSample(language, localise(renderSample(request, language), listed))) as { total: number; list: Record<string, unknown>[] };
      expect(out.list.map((item) => item['name'])).toContain('Acme Sample Ltd');
      // `select` was applied (EspoCRM adds a few attributes of its own, such as assignedUserId).
      expect(Object.keys(out.list[0]!)).toEqual(expect.arrayContaining(['id', 'name', 'type', 'website']));
      expect(out.list[0]).not.toHaveProperty('billingAddressCity');
      expect(out.list.every((item) => item['type'] === 'Customer' && String(item['name']).includes('Acme'))).toBe(true);
    },
    createAccount: async (request, language) => {
      const out = (await runSample(language, localise(renderSample(request, language), listed))) as Record<string, unknown>;
      expect(out).toMatchObject({ name: 'Acme Corporation', type: 'Customer', website: 'https://acme.example', emailAddress: 'info@acme.example' });
      // The next language creates it again: remove it (a second one would be a duplicate, 409).
      expect((await api('DELETE', `/Account/${String(out['id'])}`)).status).toBe(200);
    },
    getAccount: async (request, language) => {
      const out = (await runSample(language, localise(renderSample(request, language), listed))) as Record<string, unknown>;
      expect(out).toMatchObject({ id: listed.accountId, name: 'Acme Sample Ltd' });
    },
    updateAccount: async (request, language) => {
      const accountId = await create('Account', { name: `Update sample ${language}` });
      const out = (await runSample(language, localise(renderSample(request, language), { accountId }))) as Record<string, unknown>;
      expect(out).toMatchObject({ id: accountId, website: 'https://acme-corp.example', type: 'Partner' });
      expect((await api('GET', `/Account/${accountId}`)).data).toMatchObject({ website: 'https://acme-corp.example' });
    },
    patchAccount: async (request, language) => {
      const accountId = await create('Account', { name: `Patch sample ${language}` });
      const out = (await runSample(language, localise(renderSample(request, language), { accountId }))) as Record<string, unknown>;
      expect(out).toMatchObject({ id: accountId, description: 'Key account since 2024.' });
    },
    deleteAccount: async (request, language) => {
      const accountId = await create('Account', { name: `Delete sample ${language}` });
      expect(await runSample(language, localise(renderSample(request, language), { accountId }))).toBe(true);
      expect((await api('GET', `/Account/${accountId}`)).status).toBe(404);
    },
    listAccountContacts: async (request, language) => {
      const out = (await runSample(language, localise(renderSample(request, language), listed))) as { list: Record<string, unknown>[] };
      expect(out.list.map((item) => item['id'])).toEqual([listed.contactId]);
      expect(out.list[0]).toMatchObject({ name: 'Jane Sample' });
    },
    relateAccountContacts: async (request, language) => {
      const accountId = await create('Account', { name: `Relate sample ${language}` });
      const contactId = await create('Contact', { lastName: `Relate ${language}` });
      expect(await runSample(language, localise(renderSample(request, language), { accountId, contactId }))).toBe(true);
      expect(await linkedContactIds(accountId)).toEqual([contactId]);
    },
    unrelateAccountContacts: async (request, language) => {
      const accountId = await create('Account', { name: `Unrelate sample ${language}` });
      const contactId = await create('Contact', { lastName: `Unrelate ${language}` });
      await api('POST', `/Account/${accountId}/contacts`, { id: contactId });
      expect(await runSample(language, localise(renderSample(request, language), { accountId, contactId }))).toBe(true);
      expect(await linkedContactIds(accountId)).toEqual([]);
    },
    listAccountStream: async (request, language) => {
      const out = (await runSample(language, localise(renderSample(request, language), listed))) as { list: { type: string }[] };
      expect(Array.isArray(out.list)).toBe(true);
      expect(out.list.map((note) => note.type)).toContain('Create');
    },
    followAccount: async (request, language) => {
      const accountId = await create('Account', { name: `Follow sample ${language}` });
      await api('DELETE', `/Account/${accountId}/subscription`);
      expect((await api('GET', `/Account/${accountId}`)).data).toMatchObject({ isFollowed: false });
      expect(await runSample(language, localise(renderSample(request, language), { accountId }))).toBe(true);
      expect((await api('GET', `/Account/${accountId}`)).data).toMatchObject({ isFollowed: true });
    },
    unfollowAccount: async (request, language) => {
      const accountId = await create('Account', { name: `Unfollow sample ${language}` });
      await api('PUT', `/Account/${accountId}/subscription`);
      expect((await api('GET', `/Account/${accountId}`)).data).toMatchObject({ isFollowed: true });
      expect(await runSample(language, localise(renderSample(request, language), { accountId }))).toBe(true);
      expect((await api('GET', `/Account/${accountId}`)).data).toMatchObject({ isFollowed: false });
    },
  };

  it('has a check for every row of the table', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(SAMPLE_REQUESTS.map((request) => request.operationId).sort());
  });

  for (const language of SAMPLE_LANGUAGES) {
    const missing = MISSING[language];
    describe(language, () => {
      if (missing) it.skip(`SKIPPED: ${missing} is missing`, () => {});
      for (const request of SAMPLE_REQUESTS) {
        it.skipIf(missing !== undefined)(`${request.operationId}`, { timeout: 150_000 }, async () => {
          await CHECKS[request.operationId]!(request, language);
        });
      }
    });
  }

  it('the TypeScript samples type-check against the client', { timeout: 180_000 }, async () => {
    const files = SAMPLE_REQUESTS.map((request) => {
      const file = join(work, `check-${request.operationId}.mts`);
      writeFileSync(file, renderSample(request, 'typescript'));
      return file;
    });
    const result = await run(process.execPath, [binPath('typescript', 'tsc'), '-p', join(work, 'tsconfig.json')], { cwd: work, timeoutMs: 170_000 });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(files.length).toBe(SAMPLE_REQUESTS.length);
  });
});
