/**
 * Code samples for the docs page (`x-codeSamples`, which Redoc shows next to each operation) in curl,
 * TypeScript (this project's client), PHP and Python, all generated from ONE table of requests
 * (`SAMPLE_REQUESTS`) by one template per language, so the four can never say different things.
 *
 * - PHP: the curl extension and `http_build_query`, the shape of EspoCRM's official PHP client
 *   (espocrm/php-espo-api-client, which cannot be installed here); its call is named in a comment.
 * - Python: the standard library only (urllib, hmac); EspoCRM's documented client (espo_api_client.py,
 *   class EspoAPI, on requests) is named in a comment.
 * - Reads use an API key (`X-Api-Key`), writes sign with HMAC (`X-Hmac-Authorization`), so both are shown.
 *
 * Samples target the reference server as `npm start` runs it (demo credentials, the spec's example IDs),
 * so they work as printed; test/tooling/code-samples.test.ts runs every one of them against a server.
 * build-docs.ts adds them to the page at build time; the contract under openapi/ stays without them.
 */
import type { OpenApiDocument } from '../spec/bundle.js';

export const SAMPLE_SITE = 'http://127.0.0.1:8080';
export const SAMPLE_BASE_URL = `${SAMPLE_SITE}/api/v1`;
/** The reference server's demo credentials (src/server/config.ts, DEMO_CREDENTIALS). */
export const SAMPLE_API_KEY = 'demo-api-key';
export const SAMPLE_SECRET_KEY = 'demo-api-secret';
/** IDs in the samples (the spec's example ID, and one more); replace them with your records' IDs. */
export const SAMPLE_ACCOUNT_ID = '6a1b2c3d4e5f60718';
export const SAMPLE_CONTACT_ID = '6a1b2c3d4e5f60719';
/** How the TypeScript samples import the client (the package's `./client` export). */
export const CLIENT_IMPORT = 'espocrm-account-api/client';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SampleRequest {
  operationId: string;
  /** One line saying what the sample does. */
  title: string;
  method: Method;
  /** The spec's path, `{id}` included. */
  path: string;
  /** Values of the path parameters. */
  pathParams?: Record<string, string>;
  /** Query parameters as the TypeScript client takes them (`select` as an array). */
  query?: Record<string, Json>;
  body?: Record<string, Json>;
  auth: 'apiKey' | 'hmac';
}

const ACCOUNT = { id: SAMPLE_ACCOUNT_ID };

/** The table: one row per operation with samples. */
export const SAMPLE_REQUESTS: readonly SampleRequest[] = [
  {
    operationId: 'listAccounts',
    title: 'Customers whose name contains "Acme", newest first',
    method: 'GET',
    path: '/Account',
    query: {
      select: ['id', 'name', 'type', 'website'],
      where: [
        { type: 'contains', attribute: 'name', value: 'Acme' },
        { type: 'equals', attribute: 'type', value: 'Customer' },
      ],
      orderBy: 'createdAt',
      order: 'desc',
      maxSize: 10,
    },
    auth: 'apiKey',
  },
  {
    operationId: 'createAccount',
    title: 'Create an account',
    method: 'POST',
    path: '/Account',
    body: {
      name: 'Acme Corporation',
      type: 'Customer',
      industry: 'Finance',
      website: 'https://acme.example',
      emailAddress: 'info@acme.example',
      billingAddressCity: 'Springfield',
    },
    auth: 'hmac',
  },
  {
    operationId: 'getAccount',
    title: 'Read an account',
    method: 'GET',
    path: '/Account/{id}',
    pathParams: ACCOUNT,
    auth: 'apiKey',
  },
  {
    operationId: 'updateAccount',
    title: 'Update an account (only the attributes sent change)',
    method: 'PUT',
    path: '/Account/{id}',
    pathParams: ACCOUNT,
    body: { website: 'https://acme-corp.example', type: 'Partner' },
    auth: 'hmac',
  },
  {
    operationId: 'patchAccount',
    title: 'Update an account with PATCH',
    method: 'PATCH',
    path: '/Account/{id}',
    pathParams: ACCOUNT,
    body: { description: 'Key account since 2024.' },
    auth: 'hmac',
  },
  {
    operationId: 'deleteAccount',
    title: 'Delete an account',
    method: 'DELETE',
    path: '/Account/{id}',
    pathParams: ACCOUNT,
    auth: 'hmac',
  },
  {
    operationId: 'listAccountContacts',
    title: "The account's contacts, by name",
    method: 'GET',
    path: '/Account/{id}/contacts',
    pathParams: ACCOUNT,
    query: { select: ['id', 'name', 'accountRole'], orderBy: 'name', maxSize: 20 },
    auth: 'apiKey',
  },
  {
    operationId: 'relateAccountContacts',
    title: 'Link a contact to the account',
    method: 'POST',
    path: '/Account/{id}/contacts',
    pathParams: ACCOUNT,
    body: { id: SAMPLE_CONTACT_ID },
    auth: 'hmac',
  },
  {
    operationId: 'unrelateAccountContacts',
    title: 'Unlink a contact from the account',
    method: 'DELETE',
    path: '/Account/{id}/contacts',
    pathParams: ACCOUNT,
    body: { id: SAMPLE_CONTACT_ID },
    auth: 'hmac',
  },
  {
    operationId: 'listAccountStream',
    title: "The account's stream (newest first)",
    method: 'GET',
    path: '/Account/{id}/stream',
    pathParams: ACCOUNT,
    query: { maxSize: 5 },
    auth: 'apiKey',
  },
  {
    operationId: 'followAccount',
    title: 'Follow the account (its stream updates reach you)',
    method: 'PUT',
    path: '/Account/{id}/subscription',
    pathParams: ACCOUNT,
    auth: 'hmac',
  },
  {
    operationId: 'unfollowAccount',
    title: 'Stop following the account',
    method: 'DELETE',
    path: '/Account/{id}/subscription',
    pathParams: ACCOUNT,
    auth: 'hmac',
  },
];

export type SampleLanguage = 'curl' | 'typescript' | 'php' | 'python';
export const SAMPLE_LANGUAGES: readonly SampleLanguage[] = ['curl', 'typescript', 'php', 'python'];

/** Redoc's `x-codeSamples` item: `lang` picks the highlighting, `label` names the tab. */
export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/**
 * Redoc shows a sample only when its label (or lang) is in redocly.yaml's `openapi.codeSamples.languages`;
 * TypeScript is listed there and highlighted with the JavaScript grammar (Redoc has no TypeScript one).
 */
const LABELS: Record<SampleLanguage, { lang: string; label: string }> = {
  curl: { lang: 'Shell', label: 'curl' },
  typescript: { lang: 'JavaScript', label: 'TypeScript' },
  php: { lang: 'PHP', label: 'PHP' },
  python: { lang: 'Python', label: 'Python' },
};

// ---- shared pieces -------------------------------------------------------------------------------

/** The path with its parameters filled in, e.g. `/Account/6a1b2c3d4e5f60718`. */
function concretePath(request: SampleRequest): string {
  return request.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = request.pathParams?.[name];
    if (value === undefined) throw new Error(`${request.operationId}: no value for path parameter ${name}`);
    return value;
  });
}

/** What HMAC signs: `METHOD /path` (the path after /api/v1, no query string). */
const signedString = (request: SampleRequest) => `${request.method} ${concretePath(request)}`;

const authNote = (request: SampleRequest) => (request.auth === 'apiKey' ? 'API key (X-Api-Key)' : 'HMAC (X-Hmac-Authorization)');

/** The HMAC header's formula, as a comment line in each signing sample. */
const HMAC_FORMULA = `X-Hmac-Authorization: base64(apiKey + ':' + hex HMAC-SHA256(secretKey, 'METHOD /path'))`;

/**
 * The query as `http_build_query` flattens it (what EspoCRM reads): `where[0][type]=…`, booleans as 1/0,
 * and `select` arrays as a comma list, as the client's PHP serializer sends them.
 */
/** The query as PHP callers write it: `select` as a comma list (EspoCRM explodes it). */
function phpQuery(query: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, (key === 'select' || key === 'attributeSelect') && Array.isArray(value) ? value.join(',') : value]),
  );
}

export function flattenQuery(query: Record<string, Json>): [string, string][] {
  const pairs: [string, string][] = [];
  const add = (key: string, value: Json): void => {
    if (value === null) return;
    if (Array.isArray(value)) value.forEach((item, index) => add(`${key}[${index}]`, item));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    else pairs.push([key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value)]);
  };
  for (const [key, value] of Object.entries(phpQuery(query))) add(key, value);
  return pairs;
}

/** Literal syntax of one language; the printer below is shared. */
interface LiteralStyle {
  string(text: string): string;
  key(key: string): string;
  pair: string;
  open: [string, string];
  list: [string, string];
  scalar(value: boolean | number | null): string;
  /** One level of indentation. */
  unit: string;
}

const singleQuoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const JS: LiteralStyle = {
  string: singleQuoted,
  key: (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : singleQuoted(key)),
  pair: ': ',
  open: ['{ ', ' }'],
  list: ['[', ']'],
  scalar: (value) => String(value),
  unit: '  ',
};
const PHP: LiteralStyle = {
  string: singleQuoted,
  key: singleQuoted,
  pair: ' => ',
  open: ['[', ']'],
  list: ['[', ']'],
  scalar: (value) => (value === null ? 'null' : String(value)),
  unit: '    ',
};
const PYTHON: LiteralStyle = {
  string: singleQuoted,
  key: singleQuoted,
  pair: ': ',
  open: ['{', '}'],
  list: ['[', ']'],
  scalar: (value) => (value === null ? 'None' : value === true ? 'True' : value === false ? 'False' : String(value)),
  unit: '    ',
};

/** A literal on one line when it fits, else one entry per line (`indent` levels deep). */
function literal(value: Json, style: LiteralStyle, indent = 0, width = 100): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? style.string(value) : style.scalar(value);
  const isList = Array.isArray(value);
  const items = isList
    ? value.map((item) => (inner: number) => literal(item, style, inner, width))
    : Object.entries(value).map(([k, v]) => (inner: number) => `${style.key(k)}${style.pair}${literal(v, style, inner, width)}`);
  const [open, close] = isList ? style.list : style.open;
  if (items.length === 0) return `${open.trim()}${close.trim()}`;
  const oneLine = `${open}${items.map((item) => item(0)).join(', ')}${close}`;
  if (!oneLine.includes('\n') && oneLine.length + indent * style.unit.length <= width) return oneLine;
  const pad = style.unit.repeat(indent + 1);
  return `${open.trim()}\n${items.map((item) => `${pad}${item(indent + 1)},`).join('\n')}\n${style.unit.repeat(indent)}${close.trim()}`;
}

/** JSON for a shell argument in single quotes. */
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

// ---- templates ----------------------------------------------------------------------------------

function curlSample(request: SampleRequest): string {
  const url = `${SAMPLE_BASE_URL}${concretePath(request)}`;
  const lines = [`# ${request.title}. ${authNote(request)}.`];
  const args: string[] = [];
  if (request.auth === 'hmac') {
    lines.push(
      `# ${HMAC_FORMULA}`,
      `API_KEY=${shellQuote(SAMPLE_API_KEY)}`,
      `SECRET_KEY=${shellQuote(SAMPLE_SECRET_KEY)}`,
      `SIGNATURE=$(printf '%s' ${shellQuote(signedString(request))} | openssl dgst -sha256 -hmac "$SECRET_KEY" -r | cut -d' ' -f1)`,
      `AUTH=$(printf '%s:%s' "$API_KEY" "$SIGNATURE" | base64 | tr -d '\\n')`,
      '',
    );
    args.push(`-H "X-Hmac-Authorization: $AUTH"`);
  } else {
    args.push(`-H ${shellQuote(`X-Api-Key: ${SAMPLE_API_KEY}`)}`);
  }
  if (request.body) args.push(`-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(request.body))}`);
  for (const [key, value] of flattenQuery(request.query ?? {})) args.push(`--data-urlencode ${shellQuote(`${key}=${value}`)}`);
  // -G turns the --data-urlencode pairs into the query string; -d alone means POST.
  const flag = request.query ? '-G ' : request.method === 'GET' || (request.method === 'POST' && request.body) ? '' : `-X ${request.method} `;
  const head = `curl -sS --fail-with-body ${flag}${shellQuote(url)}`;
  lines.push([head, ...args].join(' \\\n  '));
  return lines.join('\n');
}

function typescriptSample(request: SampleRequest): string {
  const auth = request.auth === 'hmac' ? `{ apiKey: ${singleQuoted(SAMPLE_API_KEY)}, secretKey: ${singleQuoted(SAMPLE_SECRET_KEY)} }` : `{ apiKey: ${singleQuoted(SAMPLE_API_KEY)} }`;
  const init: Record<string, Json> = {};
  const params: Record<string, Json> = {};
  if (request.pathParams) params['path'] = request.pathParams;
  if (request.query) params['query'] = request.query;
  if (Object.keys(params).length) init['params'] = params;
  if (request.body) init['body'] = request.body;
  const head = `api.${request.method}(${singleQuoted(request.path)}`;
  const args = (width: number) => (Object.keys(init).length ? `, ${literal(init, JS, 1, width)}` : '');
  // One line when the whole statement fits in 100 columns, else the call on its own lines.
  const short = `unwrap(await ${head}${args(100)}));`;
  const unwrapped =
    !short.includes('\n') && short.length + 'const result = '.length <= 100
      ? short
      : `unwrap(\n  await ${head}${args(100 - `  await ${head}, `.length)}),\n);`;
  return [
    `// ${request.title}. ${authNote(request)}.`,
    `import { createEspoClient, unwrap } from ${singleQuoted(CLIENT_IMPORT)};`,
    '',
    `const api = createEspoClient({`,
    `  baseUrl: ${singleQuoted(SAMPLE_BASE_URL)},`,
    `  auth: ${auth},`,
    `});`,
    '',
    `// unwrap returns the body, or throws an EspoApiError with the status and X-Status-Reason.`,
    `const result = ${unwrapped}`,
    `console.log(JSON.stringify(result, null, 2));`,
  ].join('\n');
}

function phpSample(request: SampleRequest): string {
  const path = concretePath(request);
  const action = path.slice(1);
  const official = `$client->request(Client::METHOD_${request.method}, ${singleQuoted(action)}${request.query ? ', $params' : request.body ? ', $data' : ''});`;
  const lines = [
    '<?php',
    `// ${request.title}. ${authNote(request)}.`,
    `// EspoCRM's official client (composer require espocrm/php-espo-api-client) does this with`,
    `//   ${official}`,
    '// Here with the curl extension alone:',
    `$url = ${singleQuoted(`${SAMPLE_BASE_URL}${path}`)};`,
    `$apiKey = ${singleQuoted(SAMPLE_API_KEY)};`,
  ];
  if (request.auth === 'hmac') {
    lines.push(
      `$secretKey = ${singleQuoted(SAMPLE_SECRET_KEY)};`,
      `// ${HMAC_FORMULA}`,
      `$signature = hash_hmac('sha256', ${singleQuoted(signedString(request))}, $secretKey);`,
      `$headers = ['X-Hmac-Authorization: ' . base64_encode($apiKey . ':' . $signature)];`,
    );
  } else {
    lines.push(`$headers = ['X-Api-Key: ' . $apiKey];`);
  }
  if (request.query) lines.push(`$params = ${literal(phpQuery(request.query), PHP)};`, '');
  if (request.body) lines.push(`$data = ${literal(request.body as Json, PHP)};`, '');
  lines.push(`$ch = curl_init(${request.query ? `$url . '?' . http_build_query($params)` : '$url'});`);
  lines.push(`curl_setopt($ch, CURLOPT_CUSTOMREQUEST, ${singleQuoted(request.method)});`);
  if (request.body) {
    lines.push(`curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($data));`, `$headers[] = 'Content-Type: application/json';`);
  }
  lines.push(
    `curl_setopt($ch, CURLOPT_HTTPHEADER, $headers);`,
    `curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);`,
    `$reason = '';`,
    `curl_setopt($ch, CURLOPT_HEADERFUNCTION, function ($ch, string $line) use (&$reason): int {`,
    `    if (stripos($line, 'X-Status-Reason:') === 0) $reason = trim(substr($line, 16));`,
    `    return strlen($line);`,
    `});`,
    `$body = curl_exec($ch);`,
    `$status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);`,
    `if ($status !== 200) {`,
    `    fwrite(STDERR, "HTTP $status $reason\\n");`,
    `    exit(1);`,
    `}`,
    `$result = json_decode($body, true);`,
    `echo json_encode($result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\\n";`,
  );
  return lines.join('\n');
}

function pythonSample(request: SampleRequest): string {
  const path = concretePath(request);
  const imports = ['json', 'sys', 'urllib.error', ...(request.query ? ['urllib.parse'] : []), 'urllib.request'];
  if (request.auth === 'hmac') imports.unshift('base64', 'hashlib', 'hmac');
  const lines = [
    `# ${request.title}. ${authNote(request)}.`,
    `# EspoCRM's documented Python client (espo_api_client.py, class EspoAPI; API key only) makes such`,
    `# requests with the requests library; here with the standard library alone.`,
    ...imports.sort().map((name) => `import ${name}`),
    '',
    `url = ${singleQuoted(`${SAMPLE_BASE_URL}${path}`)}`,
    `api_key = ${singleQuoted(SAMPLE_API_KEY)}`,
  ];
  if (request.auth === 'hmac') {
    lines.push(
      `secret_key = ${singleQuoted(SAMPLE_SECRET_KEY)}`,
      `# ${HMAC_FORMULA}`,
      `signature = hmac.new(secret_key.encode(), ${singleQuoted(signedString(request))}.encode(), hashlib.sha256).hexdigest()`,
      `headers = {'X-Hmac-Authorization': base64.b64encode(f'{api_key}:{signature}'.encode()).decode()}`,
    );
  } else {
    lines.push(`headers = {'X-Api-Key': api_key}`);
  }
  if (request.query) {
    const flat = Object.fromEntries(flattenQuery(request.query));
    lines.push(`# http_build_query's form, which EspoCRM reads: where[0][type]=...`, `params = ${literal(flat, PYTHON)}`);
    lines.push(`url += '?' + urllib.parse.urlencode(params)`);
  }
  let data = '';
  if (request.body) {
    lines.push(`data = ${literal(request.body as Json, PYTHON)}`, `headers['Content-Type'] = 'application/json'`);
    data = 'data=json.dumps(data).encode(), ';
  }
  lines.push(
    '',
    `request = urllib.request.Request(url, ${data}headers=headers, method=${singleQuoted(request.method)})`,
    'try:',
    '    with urllib.request.urlopen(request) as response:',
    '        result = json.load(response)',
    'except urllib.error.HTTPError as error:',
    `    sys.exit(f"HTTP {error.code} {error.headers.get('X-Status-Reason', '')}")`,
    'print(json.dumps(result, indent=2))',
  );
  return lines.join('\n');
}

const TEMPLATES: Record<SampleLanguage, (request: SampleRequest) => string> = {
  curl: curlSample,
  typescript: typescriptSample,
  php: phpSample,
  python: pythonSample,
};

export function renderSample(request: SampleRequest, language: SampleLanguage): string {
  return `${TEMPLATES[language](request)}\n`;
}

export function codeSamples(request: SampleRequest): CodeSample[] {
  return SAMPLE_LANGUAGES.map((language) => ({ ...LABELS[language], source: renderSample(request, language) }));
}

/**
 * A copy of the document with `x-codeSamples` on every operation of the table. Fails when the table
 * names an operation the document does not have, or with another method or path, so a renamed
 * operation cannot silently lose its samples.
 */
export function withCodeSamples(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  for (const request of SAMPLE_REQUESTS) {
    const operation = copy.paths[request.path]?.[request.method.toLowerCase() as 'get'];
    if (!operation || operation.operationId !== request.operationId) {
      throw new Error(`code samples: ${request.operationId} is not ${request.method} ${request.path} in the document`);
    }
    operation['x-codeSamples'] = codeSamples(request);
  }
  return copy;
}
