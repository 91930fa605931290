import * as api from './oazapfts/api.js';
import { hmacFetch } from './hmac-fetch.js';
import { accountName, apiKey, apiRoot, report, search, secretKey } from './common.js';

api.defaults.baseUrl = apiRoot;
api.defaults.headers = { 'X-Api-Key': apiKey };
const created = await api.createAccount({ name: accountName, type: 'Customer' });
if (created.status !== 200) throw new Error(`create: ${created.status}`);
const id = created.data.id;
const read = await api.getAccount(id);
const list = await api.listAccounts({ searchParams: search });
if (read.status !== 200 || list.status !== 200) throw new Error(`read ${read.status}, list ${list.status}`);
// HMAC: oazapfts takes a custom fetch in its defaults (or per call in opts).
const signed = await api.getAccount(id, { headers: {}, fetch: hmacFetch(apiRoot, apiKey, secretKey) });
report({ id, read: read.data.name, found: list.data.list.map((a) => a.id), signedStatus: signed.status });
