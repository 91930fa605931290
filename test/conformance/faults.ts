/**
 * Deliberate faults for the mutation test: a plain HTTP server in front of the reference server's Express
 * app that changes requests or responses while a fault is switched on. Responses are changed at `res.end`,
 * after the app's own response validation, exactly as a broken server would send them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';

export interface Fault {
  name: string;
  /** Answer the request itself (return true) instead of passing it on. */
  intercept?(req: IncomingMessage, res: ServerResponse): boolean;
  /** Change the request before the app sees it. */
  request?(req: IncomingMessage): void;
  /** Change the response of a request: status, headers, body (JSON, parsed); `raw` replaces the body byte for byte. */
  response?(req: IncomingMessage, res: ServerResponse, body: unknown): { body?: unknown } | { raw: string } | void;
  /** Drop a header whenever the app sets it. */
  dropHeader?(req: IncomingMessage, res: ServerResponse, name: string): boolean;
}

/** The request path as sent: Express strips mount paths from `req.url` while routing, `originalUrl` keeps it. */
const path = (req: IncomingMessage) => ((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0] ?? '';

export const FAULTS = {
  /** getAccount returns `name` as a number. */
  nameAsNumber: {
    name: 'a field with the wrong type (name as a number in getAccount)',
    response(req, res, body) {
      if (req.method === 'GET' && /^\/api\/v1\/Account\/[^/]+$/.test(path(req)) && res.statusCode === 200 && body && typeof body === 'object') {
        return { body: { ...(body as Record<string, unknown>), name: 12345 } };
      }
    },
  },
  /** Error responses lose X-Status-Reason. */
  noStatusReason: {
    name: 'a missing X-Status-Reason on errors',
    dropHeader(_req, res, name) {
      return name.toLowerCase() === 'x-status-reason' && res.statusCode >= 400;
    },
  },
  /** createAccount answers 201. */
  created201: {
    name: '201 instead of 200 on create',
    response(req, res) {
      if (req.method === 'POST' && path(req) === '/api/v1/Account' && res.statusCode === 200) res.statusCode = 201;
    },
  },
  /** A `startsWith` where item is treated as `any`: it selects everything. */
  startsWithIgnored: {
    name: 'a where type ignored (startsWith returns everything)',
    request(req) {
      const url = req.url ?? '';
      const at = url.indexOf('?');
      if (at < 0) return;
      // Bracket form (`…%5Btype%5D=startsWith`) and searchParams JSON (`%22type%22%3A%22startsWith%22`).
      req.url = url.slice(0, at) + url.slice(at).replace(/(%5Btype%5D=|\[type\]=)startsWith\b/g, '$1any').replace(/%22startsWith%22/g, '%22any%22');
    },
  },
  /** deleteAccount answers true without deleting. */
  notDeleted: {
    name: 'a record not actually deleted (delete answers true, GET still 200)',
    intercept(req, res) {
      if (req.method !== 'DELETE' || !/^\/api\/v1\/Account\/[^/]+$/.test(path(req))) return false;
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.end('true');
      return true;
    },
  },
  /**
   * A malformed JSON body answers PHP's HTML "Fatal error" 500, where EspoCRM sends an empty body: the
   * status is that of the deviation `malformed-json-500`, the shape is not.
   */
  htmlFatal500: {
    name: 'an HTML "Fatal error" 500 where EspoCRM sends an empty 500',
    response(req, res) {
      if (req.method === 'POST' && path(req) === '/api/v1/Account' && res.statusCode === 400 && /malformed/i.test(String(res.getHeader('x-status-reason') ?? ''))) {
        res.statusCode = 500;
        res.removeHeader('X-Status-Reason');
        res.setHeader('Content-Type', 'text/html; charset=UTF-8');
        return { raw: '<br />\n<b>Fatal error</b>:  Uncaught JsonException: Syntax error in /var/www/html/application/Espo/Core/Utils/Json.php:58' };
      }
    },
  },
  /** `order=ASC` answers 200 as EspoCRM does (a known deviation), but with a body of the wrong types. */
  deviationWrongBody: {
    name: 'a wrong-typed 200 body on a deviation path (order=ASC)',
    intercept(req, res) {
      if (req.method !== 'GET' || path(req) !== '/api/v1/Account' || !/[?&]order=ASC(&|$)/.test(req.url ?? '')) return false;
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ total: 'many', list: { first: { id: 1 } } }));
      return true;
    },
  },
  /** POST /Contact answers 403: every link check that needs a contact is skipped (a failure under --strict). */
  contactRefused: {
    name: 'a refused documented create (POST /Contact answers 403) under --strict',
    intercept(req, res) {
      if (req.method !== 'POST' || path(req) !== '/api/v1/Contact') return false;
      res.statusCode = 403;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Status-Reason', 'No create access.');
      res.end();
      return true;
    },
  },
  /** Valid `Authorization: Basic` credentials answer a plain 401 (not EspoCRM's "no credentials arrived" answer). */
  basicRefused: {
    name: 'valid Basic credentials answered 401',
    intercept(req, res) {
      if (!/^Basic /.test(req.headers.authorization ?? '')) return false;
      res.statusCode = 401;
      res.setHeader('Content-Type', 'text/html; charset=UTF-8');
      res.end();
      return true;
    },
  },
  /** A `where` that is not a list hides every record (200, empty list) instead of being ignored or refused. */
  whereHidesRecords: {
    name: 'a where that is not a list hides every record',
    intercept(req, res) {
      if (req.method !== 'GET' || path(req) !== '/api/v1/Account' || !/[?&]where=conformance(&|$)/.test(req.url ?? '')) return false;
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ total: 0, list: [] }));
      return true;
    },
  },
  /** The stream oldest first, and without the optional `number` that made the old order check vacuous. */
  streamOldestFirst: {
    name: 'a stream listed oldest first, its notes without number',
    response(req, res, body) {
      if (req.method !== 'GET' || !/^\/api\/v1\/Account\/[^/]+\/stream$/.test(path(req)) || res.statusCode !== 200) return;
      const page = body as { total?: number; list?: Record<string, unknown>[] } | undefined;
      if (!page || !Array.isArray(page.list)) return;
      return { body: { ...page, list: [...page.list].reverse().map(({ number: _number, ...note }) => note) } };
    },
  },
} satisfies Record<string, Fault>;

export interface FaultyServer {
  baseUrl: string;
  /** Switches a fault on (or all off with `undefined`). */
  use(fault: Fault | undefined): void;
  close(): Promise<void>;
}

/** For a describe block: the reference server and a faulty server in front of it, from beforeAll to afterAll. */
export function useFaultyServer(): { readonly server: TestServer; readonly faulty: FaultyServer } {
  let server: TestServer | undefined;
  let faulty: FaultyServer | undefined;
  beforeAll(async () => {
    server = await startServer();
    faulty = await startFaultyServer(server.app.app);
  });
  afterAll(async () => {
    await faulty?.close();
    await server?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('Faulty server not ready (use it inside tests)');
    return value;
  };
  return {
    get server() {
      return ready(server);
    },
    get faulty() {
      return ready(faulty);
    },
  };
}

export async function startFaultyServer(app: Express): Promise<FaultyServer> {
  let active: Fault | undefined;
  const server: Server = createServer((req, res) => {
    const fault = active;
    if (!fault) {
      app(req, res);
      return;
    }
    if (fault.intercept?.(req, res)) return;
    fault.request?.(req);
    if (fault.dropHeader) {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = ((name: string, value: number | string | readonly string[]) => (fault.dropHeader!(req, res, name) ? res : setHeader(name, value))) as typeof res.setHeader;
    }
    if (fault.response) {
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        let body: unknown;
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
        if (text) {
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
        }
        const changed = fault.response!(req, res, body);
        if (changed && 'raw' in changed) {
          if (!res.headersSent) res.setHeader('Content-Length', Buffer.byteLength(changed.raw));
          return end(changed.raw, ...rest.filter((r) => typeof r === 'function'));
        }
        if (changed && 'body' in changed) {
          const json = JSON.stringify(changed.body);
          if (!res.headersSent) res.setHeader('Content-Length', Buffer.byteLength(json));
          return end(json, ...rest.filter((r) => typeof r === 'function'));
        }
        return end(chunk, ...rest);
      }) as typeof res.end;
    }
    app(req, res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    use(fault) {
      active = fault;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
