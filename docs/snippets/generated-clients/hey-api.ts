import { createClient, createConfig } from './hey-api/client/index.js';
import { createAccount, getAccount, listAccounts } from './hey-api/sdk.gen.js';
import { hmacFetch } from './hmac-fetch.js';
import { accountName, apiKey, apiRoot, report, search, secretKey } from './common.js';

const keyClient = createClient(createConfig({ baseUrl: apiRoot, headers: { 'X-Api-Key': apiKey } }));
const created = await createAccount({ client: keyClient, body: { name: accountName, type: 'Customer' }, throwOnError: true });
const id = created.data.id;
const read = await getAccount({ client: keyClient, path: { id }, throwOnError: true });
const list = await listAccounts({ client: keyClient, query: { searchParams: search }, throwOnError: true });
// HMAC: the signing fetch is the client's per-request hook.
const hmacClient = createClient(createConfig({ baseUrl: apiRoot, fetch: hmacFetch(apiRoot, apiKey, secretKey) }));
const signed = await getAccount({ client: hmacClient, path: { id } });
report({ id, read: read.data.name, found: list.data.list.map((a) => a.id), signedStatus: signed.response.status });
