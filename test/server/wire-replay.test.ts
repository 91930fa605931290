import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines, type Engine } from '../support/database.js';
import { sendRaw, type RawResponse } from '../support/raw-http.js';
import { startServer, type TestServer } from '../support/server.js';
import { CAPTURE_RECORD_ID, CAPTURED, type CaptureName } from '../support/wire-captures.js';

/**
 * Replays the requests the official PHP, Python and JS clients put on the wire (wire-captures.md), byte
 * for byte, against the reference server. Each client family gets a fresh server with the same data; the
 * same search must give the same accounts whichever wire form carried it, and every answer must be one the
 * clients accept (200 JSON with `Content-Type: application/json` exactly, no charset).
 */
const FAMILIES: Record<string, Partial<Record<Step, CaptureName>>> = {
  php: {
    listWhere: 'phpListWhere', hmacListWhere: 'phpHmacListWhere', basic: 'phpBasic', noParams: 'phpNoParams', scalars: 'phpScalars',
    post: 'phpPost', put: 'phpPut', delete: 'phpHmacDelete', deleteAgain: 'phpDeletePayload',
  },
  python: {
    listWhere: 'pyListWhere', noParams: 'pyNoParams', scalars: 'pyScalars',
    post: 'pyPost', put: 'pyPut', delete: 'pyDelete', deleteAgain: 'pyDeletePayload',
  },
  js: {
    listWhere: 'jsListWhere', hmacListWhere: 'jsHmacListWhere', noParams: 'jsNoParams', scalars: 'jsScalars',
    post: 'jsPost', put: 'jsPut', delete: 'jsHmacDelete', deleteAgain: 'jsDeletePayload',
  },
};
type Step = 'listWhere' | 'hmacListWhere' | 'basic' | 'noParams' | 'scalars' | 'post' | 'put' | 'delete' | 'deleteAgain';
const STEPS: Step[] = ['listWhere', 'hmacListWhere', 'basic', 'noParams', 'scalars', 'post', 'put', 'delete', 'deleteAgain'];

/**
 * The accounts of the captured search: type Customer AND (name contains "Acme & Co" OR industry in Finance,
 * Legal) AND email not opted out — where, as in EspoCRM, an account without an email address counts as not
 * opted out (its `= FALSE` clause includes NULL).
 */
const FIXTURE = [
  { name: 'Acme & Co Holdings', type: 'Customer', industry: 'Software', emailAddress: 'hello@acme-co.example' },
  { name: 'Globex', type: 'Customer', industry: 'Finance', emailAddress: 'info@globex.example' },
  { name: 'Initech', type: 'Customer', industry: 'Legal', emailAddressData: [{ emailAddress: 'info@initech.example', optOut: true }] },
  { name: 'Umbrella', type: 'Partner', industry: 'Finance', emailAddress: 'info@umbrella.example' },
  { name: 'Hooli', type: 'Customer', industry: 'Software', emailAddress: 'info@hooli.example' },
  { name: 'Stark', type: 'Customer', industry: 'Legal' },
];
const MATCHING = ['Acme & Co Holdings', 'Globex', 'Stark'];

async function seed(server: TestServer): Promise<void> {
  for (const account of FIXTURE) {
    const response = await fetch(`${server.baseUrl}/Account`, {
      method: 'POST',
      headers: { 'X-Api-Key': server.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(account),
    });
    expect(response.status).toBe(200);
  }
  // The captured PUT and DELETE address this ID; give it to one more account.
  const created = (await (
    await fetch(`${server.baseUrl}/Account`, {
      method: 'POST',
      headers: { 'X-Api-Key': server.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Captured Target' }),
    })
  ).json()) as { id: string };
  await server.app.database.db.updateTable('account').set({ id: CAPTURE_RECORD_ID }).where('id', '=', created.id).execute();
}

interface Outcome {
  status: number;
  contentType: string | undefined;
  reason: string | undefined;
  json: unknown;
}

async function replay(engine: Engine, family: Record<string, CaptureName | undefined>): Promise<Partial<Record<Step, Outcome>>> {
  const server = await startServer({ engine });
  try {
    await seed(server);
    const outcomes: Partial<Record<Step, Outcome>> = {};
    for (const step of STEPS) {
      const capture = family[step];
      if (!capture) continue;
      const response: RawResponse = await sendRaw(server.baseUrl, CAPTURED[capture]);
      outcomes[step] = {
        status: response.status,
        contentType: response.headers.get('content-type'),
        reason: response.headers.get('x-status-reason'),
        json: response.body ? JSON.parse(response.body) : undefined,
      };
    }
    return outcomes;
  } finally {
    await server.close();
  }
}

const names = (outcome: Outcome | undefined) => ((outcome?.json as { list: { name: string }[] }).list ?? []).map((a) => a.name);

describeEngines('replayed client captures', (engine) => {
  const results: Record<string, Partial<Record<Step, Outcome>>> = {};

  beforeAll(async () => {
    for (const [family, captures] of Object.entries(FAMILIES)) results[family] = await replay(engine, captures);
  }, 300_000);

  afterAll(() => undefined);

  for (const family of Object.keys(FAMILIES)) {
    describe(family, () => {
      it('finds exactly the matching accounts with the captured search, in the same order', () => {
        const list = results[family]!.listWhere!;
        expect(list.status).toBe(200);
        expect(list.contentType).toBe('application/json');
        expect(new Set(names(list))).toEqual(new Set(MATCHING));
        expect((list.json as { total: number }).total).toBe(MATCHING.length);
        const item = (list.json as { list: Record<string, unknown>[] }).list[0]!;
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'name', 'type']));
        expect(item).not.toHaveProperty('website');
      });

      // The Python client has no HMAC (wire-captures.md), so only the PHP and JS families have this capture.
      if (FAMILIES[family]!.hmacListWhere) {
        it('answers the HMAC-signed search like the keyed one', () => {
          const hmac = results[family]!.hmacListWhere;
          expect(hmac, `the ${family} HMAC capture was not replayed`).toBeDefined();
          expect(hmac!.status).toBe(200);
          expect(names(hmac!)).toEqual(names(results[family]!.listWhere!));
        });
      }

      it('lists every account without parameters and ignores unknown parameters', () => {
        const all = results[family]!.noParams!;
        expect(all.status).toBe(200);
        expect((all.json as { total: number }).total).toBe(FIXTURE.length + 1);
        const scalars = results[family]!.scalars!;
        expect(scalars.status).toBe(200);
        expect(names(scalars)).toEqual(names(all));
      });

      it('creates, renames and deletes with the captured writes', () => {
        const { post, put, delete: del, deleteAgain } = results[family]!;
        expect(post).toMatchObject({ status: 200, contentType: 'application/json', json: { name: 'Acme & Co', website: null } });
        expect(put).toMatchObject({ status: 200, json: { id: CAPTURE_RECORD_ID, name: 'Renamed' } });
        expect(del).toMatchObject({ status: 200, json: true });
        expect(deleteAgain).toMatchObject({ status: 404, reason: `Record ${CAPTURE_RECORD_ID} not found.`, json: undefined });
      });
    });
  }

  it('gives every client family the same results', () => {
    const comparable = (family: string) =>
      Object.fromEntries(
        (['listWhere', 'noParams', 'scalars', 'put', 'delete', 'deleteAgain'] as const).map((step) => {
          const outcome = results[family]![step]!;
          const json = outcome.json as { list?: { name: string }[]; name?: string } | undefined;
          // IDs (and so the order of records created in the same second) differ between servers.
          return [step, { status: outcome.status, names: json?.list?.map((a) => a.name).sort() ?? json?.name ?? json }];
        }),
      );
    expect(comparable('python')).toEqual(comparable('php'));
    expect(comparable('js')).toEqual(comparable('php'));
  });

  it('authenticates the PHP client with HTTP Basic', () => {
    expect(results.php!.basic).toMatchObject({ status: 200, contentType: 'application/json' });
  });
});
