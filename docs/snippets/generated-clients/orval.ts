import { createAccount, getAccount, listAccounts } from './orval/api.js';
import { hmacFetch } from './hmac-fetch.js';
import { accountName, apiKey, apiRoot, report, search, secretKey } from './common.js';

// orval's fetch client requests paths relative to the API root and calls the global fetch: prefix the root
// there (or set output.baseUrl / an override.mutator in orval's config).
const plainFetch = globalThis.fetch;
const rooted: typeof fetch = (input, init) => plainFetch(typeof input === 'string' && input.startsWith('/') ? `${apiRoot}${input}` : input, init);
globalThis.fetch = rooted;
const headers = { 'X-Api-Key': apiKey, 'Content-Type': 'application/json' };
const created = await createAccount({ name: accountName, type: 'Customer' }, { headers });
if (created.status !== 200) throw new Error(`create: ${created.status}`);
const id = created.data.id;
const read = await getAccount(id, { headers });
const list = await listAccounts({ searchParams: search }, { headers });
if (read.status !== 200 || list.status !== 200) throw new Error(`read ${read.status}, list ${list.status}`);
globalThis.fetch = hmacFetch(apiRoot, apiKey, secretKey, plainFetch);
const signed = await getAccount(id);
globalThis.fetch = plainFetch;
report({ id, read: read.data.name, found: list.data.list.map((a) => a.id), signedStatus: signed.status });
