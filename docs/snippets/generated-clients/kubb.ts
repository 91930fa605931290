import { createAccount } from './kubb/clients/createAccount.js';
import { getAccount } from './kubb/clients/getAccount.js';
import { listAccounts } from './kubb/clients/listAccounts.js';
import { hmacFetch } from './hmac-fetch.js';
import { accountName, apiKey, apiRoot, report, search, secretKey } from './common.js';

const config = { baseURL: apiRoot, headers: { 'X-Api-Key': apiKey, 'Content-Type': 'application/json' } };
const created = await createAccount({ name: accountName, type: 'Customer' }, undefined, config);
const id = created.data.id;
const read = await getAccount(id, config);
const list = await listAccounts({ searchParams: search }, undefined, config);
// HMAC: kubb's fetch client calls the global fetch; wrap it for the signed calls (or pass config.client).
const plainFetch = globalThis.fetch;
globalThis.fetch = hmacFetch(apiRoot, apiKey, secretKey, plainFetch);
const signed = await getAccount(id, { baseURL: apiRoot });
globalThis.fetch = plainFetch;
report({ id, read: read.data.name, found: list.data.list.map((a) => a.id), signedStatus: signed.status });
