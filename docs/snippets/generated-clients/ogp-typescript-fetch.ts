import { AccountApi } from './ogp-typescript-fetch/api.js';
import { Configuration } from './ogp-typescript-fetch/configuration.js';
import { hmacFetch } from './hmac-fetch.js';
import { accountName, apiKey, apiRoot, report, search, secretKey } from './common.js';

const keyApi = new AccountApi(new Configuration({ basePath: apiRoot, apiKey: (scheme) => (scheme === 'ApiKeyAuth' ? apiKey : null) }));
const created = await keyApi.createAccount(undefined, undefined, { name: accountName, type: 'Customer' });
const id = created.id;
const read = await keyApi.getAccount(id);
const u = undefined;
const list = await keyApi.listAccounts(u, u, u, u, u, u, u, u, u, u, u, u, u, u, search, u);
// HMAC: the third constructor argument is the fetch every call uses.
const hmacApi = new AccountApi(new Configuration({ basePath: apiRoot }), apiRoot, hmacFetch(apiRoot, apiKey, secretKey));
// The generated code returns (does not throw) a 401 Response, so check what came back.
const signedResult: unknown = await hmacApi.getAccount(id).catch((e: unknown) => e);
const signed = signedResult instanceof Response ? signedResult.status : (signedResult as { id?: string }).id === id ? 200 : 0;
report({ id, read: read.name, found: list.list.map((a) => a.id), signedStatus: signed });
