import { OpenAPI } from './openapi-typescript-codegen/core/OpenAPI.js';
import { AccountService } from './openapi-typescript-codegen/services/AccountService.js';
import { hmacFetch } from './hmac-fetch.js';
import { accountName, apiKey, apiRoot, report, search, secretKey } from './common.js';

OpenAPI.BASE = apiRoot;
OpenAPI.HEADERS = { 'X-Api-Key': apiKey };
const created = await AccountService.createAccount({ name: accountName, type: 'Customer' });
const id = created.id;
const read = await AccountService.getAccount(id);
const u = undefined;
const list = await AccountService.listAccounts(u, u, u, u, u, u, u, u, u, u, u, u, u, u, search);
// HMAC: the fetch client calls the global fetch; wrap it for the signed calls.
OpenAPI.HEADERS = {};
const plainFetch = globalThis.fetch;
globalThis.fetch = hmacFetch(apiRoot, apiKey, secretKey, plainFetch);
const signed = await AccountService.getAccount(id).then(() => 200, (e: { status?: number }) => e.status ?? 0);
globalThis.fetch = plainFetch;
report({ id, read: read.name, found: list.list.map((a) => a.id), signedStatus: signed });
