import { Api } from './swagger-typescript-api/api.js';
import { hmacFetch } from './hmac-fetch.js';
import { accountName, apiKey, apiRoot, report, search, secretKey } from './common.js';

const keyApi = new Api({ baseUrl: apiRoot, baseApiParams: { headers: { 'X-Api-Key': apiKey } } });
const created = await keyApi.account.createAccount({ name: accountName, type: 'Customer' });
const id = created.data.id;
const read = await keyApi.account.getAccount(id);
const list = await keyApi.account.listAccounts({ searchParams: search });
// HMAC: customFetch is the per-request hook.
const hmacApi = new Api({ baseUrl: apiRoot, customFetch: hmacFetch(apiRoot, apiKey, secretKey) });
const signed = await hmacApi.account.getAccount(id);
report({ id, read: read.data.name, found: list.data.list.map((a) => a.id), signedStatus: signed.status });
