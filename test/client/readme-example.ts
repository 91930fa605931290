// Run: ESPO_URL=http://127.0.0.1:8080 ESPO_API_KEY=… [ESPO_SECRET_KEY=…] npx tsx test/client/readme-example.ts
import {
  accountWhere as w,
  createEspoClient,
  eachAccount,
  eachLinked,
  espoError,
  unwrap,
} from '../../src/client/index.js';

const apiKey = process.env['ESPO_API_KEY'] ?? '';
const secretKey = process.env['ESPO_SECRET_KEY'];
const api = createEspoClient({
  baseUrl: process.env['ESPO_URL'] ?? 'http://127.0.0.1:8080', // the site URL or the API root (…/api/v1)
  auth: secretKey ? { apiKey, secretKey } : { apiKey }, // or { username, password }
});

// Paths, parameters and bodies are checked against the spec: `nmae`, a missing `name`
// or `type: 'Customr'` would not compile.
const account = unwrap(await api.POST('/Account', { body: { name: 'Acme & Co', type: 'Customer', website: 'acme.example' } }));

// Errors: status, X-Status-Reason and the typed body in one place, also when there is no body.
const failure = espoError(await api.POST('/Account', { body: { name: 'Acme & Co' } }));
if (failure?.detail.kind === 'duplicate') {
  console.log(`${failure.status} ${failure.reason}:`, failure.detail.records.map((record) => record['id']));
}

// Where items are checked against the Account schema and go out exactly as the PHP client sends them.
const { data: page } = await api.GET('/Account', {
  params: {
    query: {
      select: ['id', 'name', 'type'],
      orderBy: 'createdAt',
      order: 'desc',
      maxSize: 5,
      where: [
        w.equals('type', 'Customer'),
        w.or(w.contains('name', 'Acme'), w.in('industry', ['Finance', 'Legal'])),
        w.lastSevenDays('createdAt'),
      ],
    },
  },
});
console.log(`${page?.total} recent customers:`, page?.list.map((item) => item.name));

// Every match, up to 200 per request.
for await (const item of eachAccount(api, { query: { where: [w.startsWith('name', 'Acme')] } })) {
  console.log(item.id, item.name);
}

// Links: relate, list, unrelate.
const contact = unwrap(await api.POST('/Contact', { body: { lastName: 'Doe' } }));
await api.POST('/Account/{id}/contacts', { params: { path: { id: account.id } }, body: { id: contact.id } });
for await (const linked of eachLinked(api, account.id, 'contacts', { query: { select: ['name', 'accountRole'] } })) {
  console.log(linked.name, linked.accountRole);
}
await api.DELETE('/Account/{id}/contacts', { params: { path: { id: account.id } }, body: { id: contact.id } });
await api.DELETE('/Account/{id}', { params: { path: { id: account.id } } });
await api.DELETE('/Contact/{id}', { params: { path: { id: contact.id } } });
