/**
 * CORS over real HTTP, as EspoCRM's CORS middleware behaves (apiCors* settings): off by default; with an
 * origin list, preflights are answered before authentication, actual responses of an allowed origin carry
 * Access-Control-Allow-Origin (errors too), and other origins get no CORS headers. Plus the ESPO_API_CORS_*
 * environment variables.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig, readCorsSettings } from '../../src/server/config.js';
import { DEFAULT_CORS_SETTINGS } from '../../src/server/http/cors.js';
import { startServer, type TestServer } from '../support/server.js';

const PAGE = 'http://localhost:5173';
const OTHER = 'http://evil.example';

function preflight(server: TestServer, path: string, origin: string | undefined, requestHeaders?: string): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method: 'OPTIONS',
    headers: {
      ...(origin ? { Origin: origin } : {}),
      'Access-Control-Request-Method': 'PUT',
      ...(requestHeaders ? { 'Access-Control-Request-Headers': requestHeaders } : {}),
    },
  });
}

function corsHeaders(response: Response): string[] {
  const names: string[] = [];
  response.headers.forEach((_value, name) => {
    if (name.startsWith('access-control-')) names.push(name);
  });
  return names.sort();
}

describe('CORS off (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('sends no CORS headers, and a preflight goes through authentication like any request', async () => {
    const options = await preflight(server, '/Account', PAGE, 'x-api-key');
    expect(options.status).toBe(401);
    expect(corsHeaders(options)).toEqual([]);
    const get = await fetch(`${server.baseUrl}/Account?maxSize=1`, { headers: { Origin: PAGE, 'X-Api-Key': server.apiKey } });
    expect(get.status).toBe(200);
    expect(corsHeaders(get)).toEqual([]);
    expect(get.headers.get('vary')).toBeNull();
  });

  it('is what readConfig gives without ESPO_API_CORS_* variables', () => {
    expect(readConfig({}).cors).toEqual(DEFAULT_CORS_SETTINGS);
    expect(DEFAULT_CORS_SETTINGS.allowedOriginList).toEqual([]);
  });
});

describe('CORS on (apiCorsAllowedOriginList)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      app: { cors: { ...DEFAULT_CORS_SETTINGS, allowedOriginList: [PAGE, 'https://crm-ui.example'], maxAge: 600 } },
    });
  });
  afterAll(() => server?.close());

  it('answers a preflight of an allowed origin with 204 before authentication', async () => {
    for (const path of ['/Account', '/Account/0123456789abcdef0', '/Account/0123456789abcdef0/contacts', '/OpenApi']) {
      const response = await preflight(server, path, PAGE, 'content-type,x-api-key');
      expect(response.status, path).toBe(204);
      expect(await response.text()).toBe('');
      expect(response.headers.get('access-control-allow-origin')).toBe(PAGE);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-max-age')).toBe('600');
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, PATCH, DELETE');
      expect(response.headers.get('access-control-allow-headers')).toBe(DEFAULT_CORS_SETTINGS.allowedHeaderList.join(', '));
      expect(response.headers.get('vary')).toBe('Origin');
      expect(response.headers.get('www-authenticate')).toBeNull();
    }
  });

  it('sends Access-Control-Allow-Headers only when the preflight asks for headers (as EspoCRM)', async () => {
    const response = await preflight(server, '/Account', PAGE);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).not.toBeNull();
  });

  it('answers a preflight of another origin, or without Origin, with an empty 200 and no CORS headers (as EspoCRM)', async () => {
    for (const origin of [OTHER, 'http://localhost:5174', `${PAGE}/`, undefined]) {
      const response = await preflight(server, '/Account', origin, 'x-api-key');
      expect(response.status, String(origin)).toBe(200);
      expect(await response.text()).toBe('');
      expect(corsHeaders(response), String(origin)).toEqual([]);
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('lets an allowed origin read actual responses and their X-Status-Reason, errors included', async () => {
    const ok = await fetch(`${server.baseUrl}/Account?maxSize=1`, { headers: { Origin: PAGE, 'X-Api-Key': server.apiKey } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(ok.headers.get('access-control-expose-headers')).toBe('X-Status-Reason');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-methods')).toBeNull();
    expect(ok.headers.get('vary')).toBe('Origin');

    const unauthorized = await fetch(`${server.baseUrl}/Account`, { headers: { Origin: PAGE, 'X-Api-Key': 'wrong' } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(PAGE);

    const invalid = await fetch(`${server.baseUrl}/Account`, {
      method: 'POST',
      headers: { Origin: 'https://crm-ui.example', 'X-Api-Key': server.apiKey, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('access-control-allow-origin')).toBe('https://crm-ui.example');
    expect(invalid.headers.get('x-status-reason')).toBeTruthy();
  });

  it('gives another origin the response without CORS headers (the browser withholds it)', async () => {
    const response = await fetch(`${server.baseUrl}/Account?maxSize=1`, { headers: { Origin: OTHER, 'X-Api-Key': server.apiKey } });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual([]);
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('leaves the docs page alone (CORS covers the API only)', async () => {
    const response = await fetch(server.baseUrl.replace('/api/v1', '/docs'), { headers: { Origin: PAGE } });
    expect(corsHeaders(response)).toEqual([]);
  });
});

describe('CORS with custom method and header lists and EspoCRM default max age', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      app: { cors: readCorsSettings({ ESPO_API_CORS_ALLOWED_ORIGIN_LIST: PAGE, ESPO_API_CORS_ALLOWED_METHOD_LIST: 'get, post', ESPO_API_CORS_ALLOWED_HEADER_LIST: 'X-Api-Key' }) },
    });
  });
  afterAll(() => server?.close());

  it('announces exactly the configured lists', async () => {
    const response = await preflight(server, '/Account', PAGE, 'x-api-key');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('X-Api-Key');
    expect(response.headers.get('access-control-max-age')).toBe('86400');
  });
});

describe('ESPO_API_CORS_* variables', () => {
  it('read comma-separated lists and the max age', () => {
    const settings = readCorsSettings({
      ESPO_API_CORS_ALLOWED_ORIGIN_LIST: ' http://localhost:5173 , https://app.example.com:8443,',
      ESPO_API_CORS_ALLOWED_METHOD_LIST: 'GET,PUT',
      ESPO_API_CORS_ALLOWED_HEADER_LIST: 'Content-Type, X-Api-Key',
      ESPO_API_CORS_MAX_AGE: '0',
    });
    expect(settings).toEqual({
      allowedOriginList: ['http://localhost:5173', 'https://app.example.com:8443'],
      allowedMethodList: ['GET', 'PUT'],
      allowedHeaderList: ['Content-Type', 'X-Api-Key'],
      maxAge: 0,
    });
  });

  it('an empty method or header list means none (as EspoCRM), an unset one the default', () => {
    const settings = readCorsSettings({ ESPO_API_CORS_ALLOWED_ORIGIN_LIST: PAGE, ESPO_API_CORS_ALLOWED_HEADER_LIST: '' });
    expect(settings.allowedHeaderList).toEqual([]);
    expect(settings.allowedMethodList).toEqual(DEFAULT_CORS_SETTINGS.allowedMethodList);
  });

  it.each([
    ['ESPO_API_CORS_ALLOWED_ORIGIN_LIST', '*', /'\*' is not an origin/],
    ['ESPO_API_CORS_ALLOWED_ORIGIN_LIST', 'http://localhost:5173/', /not an origin.*no path or trailing slash/],
    ['ESPO_API_CORS_ALLOWED_ORIGIN_LIST', '127.0.0.1:8100', /'127\.0\.0\.1:8100' is not an origin/],
    ['ESPO_API_CORS_ALLOWED_METHOD_LIST', 'GET,P UT', /ESPO_API_CORS_ALLOWED_METHOD_LIST: 'P UT'/],
    ['ESPO_API_CORS_ALLOWED_HEADER_LIST', 'X-Api-Key,X:Y', /ESPO_API_CORS_ALLOWED_HEADER_LIST: 'X:Y'/],
    ['ESPO_API_CORS_MAX_AGE', '-1', /ESPO_API_CORS_MAX_AGE must be an integer/],
  ])('%s=%s is a configuration error naming the setting', (name, value, message) => {
    expect(() => readCorsSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => readCorsSettings({ [name]: value })).toThrow(message);
  });
});

describe('espo-ref serve with ESPO_API_CORS_*', () => {
  const LAUNCHER = fileURLToPath(new URL('../../src/server/cli/espo-ref.mjs', import.meta.url));

  function serve(env: Record<string, string>) {
    const child = spawn(process.execPath, [LAUNCHER, 'serve', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'sqlite::memory:', ESPO_SEED: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // The API URL from the banner, wherever it is printed; resolves undefined when the process exits first.
    const origin = new Promise<string | undefined>((resolve) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(output);
        if (match) resolve(match[1]);
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', () => resolve(undefined));
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, origin, exit, output: () => output };
  }

  it('answers preflights of the listed origin', { timeout: 120_000 }, async () => {
    const server = serve({ ESPO_API_CORS_ALLOWED_ORIGIN_LIST: PAGE, ESPO_API_CORS_MAX_AGE: '120' });
    try {
      const origin = await server.origin;
      expect(origin, server.output()).toBeDefined();
      const response = await fetch(`${origin}/api/v1/Account`, {
        method: 'OPTIONS',
        headers: { Origin: PAGE, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-api-key', Connection: 'close' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(PAGE);
      expect(response.headers.get('access-control-max-age')).toBe('120');
    } finally {
      server.child.kill('SIGTERM');
      await server.exit;
    }
  });

  it('refuses an entry that is not an origin, naming the variable (usage error, exit 2)', { timeout: 120_000 }, async () => {
    const server = serve({ ESPO_API_CORS_ALLOWED_ORIGIN_LIST: 'localhost:5173' });
    expect(await server.exit).toBe(2);
    expect(server.output()).toContain("ESPO_API_CORS_ALLOWED_ORIGIN_LIST: 'localhost:5173' is not an origin");
  });
});
