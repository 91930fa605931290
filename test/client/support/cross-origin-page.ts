/**
 * The script of the cross-origin test page (bundled with the client by esbuild, run in Chromium): one
 * round trip through the typed client, reported back as plain data. See cors-browser.test.ts.
 */
import { createEspoClient, espoError, unwrap } from '../../../src/client/index.js';

export interface RoundTripArgs {
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  name: string;
}

/** What the page did, or the error that stopped it. */
export interface RoundTripResult {
  ok: boolean;
  error?: string;
  createdName?: string;
  found?: string[];
  total?: number;
  hmacWebsite?: string | null;
  failureStatus?: number;
  failureReason?: string | null;
  deletedStatus?: number;
}

/** Create (API key), search, update and delete (HMAC via Web Crypto), and one refused create. */
export async function roundTrip(args: RoundTripArgs): Promise<RoundTripResult> {
  try {
    const api = createEspoClient({ baseUrl: args.baseUrl, auth: { apiKey: args.apiKey } });
    const signed = createEspoClient({ baseUrl: args.baseUrl, auth: { apiKey: args.apiKey, secretKey: args.secretKey } });
    const created = unwrap(await api.POST('/Account', { body: { name: args.name, type: 'Customer' } }));
    const page = unwrap(
      await api.GET('/Account', {
        params: { query: { select: ['id', 'name'], where: [{ type: 'equals', attribute: 'name', value: args.name }] } },
      }),
    );
    const updated = unwrap(
      await signed.PUT('/Account/{id}', { params: { path: { id: created.id } }, body: { website: 'https://cors.example' } }),
    );
    const failure = espoError(await api.POST('/Account', { body: { name: '' } }));
    const deleted = await signed.DELETE('/Account/{id}', { params: { path: { id: created.id } } });
    return {
      ok: true,
      createdName: created.name,
      found: page.list.map((item) => item.name ?? ''),
      total: page.total,
      hmacWebsite: updated.website ?? null,
      ...(failure ? { failureStatus: failure.status, failureReason: failure.reason } : {}),
      deletedStatus: deleted.response.status,
    };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

(globalThis as unknown as { roundTrip: typeof roundTrip }).roundTrip = roundTrip;
