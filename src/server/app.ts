import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { pino, type Logger } from 'pino';
import { Authenticator } from './auth/authenticate.js';
import { FailedLoginLimit, type FailedLoginLimitOptions } from './auth/failed-logins.js';
import { UserStore } from './auth/user-store.js';
import { migrateToLatest } from './db/migrate.js';
import { openDatabase, type DatabaseHandle } from './db/open.js';
import { BODY_LIMIT_BYTES, errorHandler } from './http/error-handler.js';
import { plainJsonContentType } from './http/json-content-type.js';
import { mountOperations } from './http/operations.js';
import { parseQuery } from './http/query-parser.js';
import { accessLog } from './http/access-log.js';
import { canonicalQuery } from './http/canonical-query.js';
import { integerQuery } from './http/integer-query.js';
import { sendError } from './http/send.js';
import { buildHandlers } from './routes/index.js';
import { createServices, type Services } from './services.js';
import { loadBundle } from '../spec/bundle.js';

export const API_BASE = '/api/v1';
const DOCS_FILE = fileURLToPath(new URL('../../docs/index.html', import.meta.url));

export interface AppOptions {
  /** `sqlite:./data/espo.sqlite` (default `sqlite::memory:`), `postgres://…`; ignored when `database` is given. */
  databaseUrl?: string;
  /** An already opened database (tests isolate PostgreSQL schemas this way). */
  database?: DatabaseHandle;
  /** Validate every response against the contract (on in tests and development). */
  validateResponses?: boolean;
  /**
   * Validate requests against the contract. Always on in real use (the server relies on it); only the
   * benchmark turns it off, to measure what validation costs.
   */
  validateRequests?: boolean;
  /**
   * How long users and their role tables are cached (ms; 0, the default, reads them on every request).
   * `espo-ref serve` uses ESPO_IDENTITY_CACHE_MS (default 2000).
   */
  identityCacheMs?: number;
  /** EspoCRM's login lockout (off when absent; `espo-ref serve`: ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER). */
  failedLoginLimit?: FailedLoginLimitOptions;
  logger?: Logger;
}

export interface App {
  app: Express;
  services: Services;
  database: DatabaseHandle;
  /** Closes the database (when the app opened it). */
  close(): Promise<void>;
}

/**
 * Builds the reference server without listening: migrates the database, then wires body parsing,
 * authentication, contract validation (express-openapi-validator fed the bundle), one route per operation
 * and the error handler. `main.ts` listens.
 */
export async function createApp(options: AppOptions = {}): Promise<App> {
  const log = options.logger ?? pino({ level: 'silent' });
  const database = options.database ?? openDatabase(options.databaseUrl ?? 'sqlite::memory:');
  await migrateToLatest(database.db);
  const services = createServices(database.db, { identityCacheMs: options.identityCacheMs ?? 0 });
  const authenticator = new Authenticator(new UserStore(database.db, options.identityCacheMs ?? 0));

  const app = express();
  app.disable('x-powered-by');
  // EspoCRM sends no ETag; computing one hashes every response body.
  app.set('etag', false);
  app.set('query parser', parseQuery);
  app.use(plainJsonContentType);
  app.use(accessLog(log));

  app.get('/', (_req, res) => res.redirect('/docs'));
  app.get('/docs', (_req, res) => {
    if (existsSync(DOCS_FILE)) res.sendFile(DOCS_FILE);
    else sendError(res, 404, 'Docs not built: run npm run docs.');
  });

  app.use(API_BASE, express.json({ limit: BODY_LIMIT_BYTES, strict: false, type: ['application/json', 'application/*+json'] }));
  app.use(API_BASE, authenticate(authenticator, options.failedLoginLimit?.maxAttempts ? new FailedLoginLimit(options.failedLoginLimit) : undefined));
  // EspoCRM 9.3+ serves its OpenAPI description here; this server serves its own contract.
  app.get(`${API_BASE}/OpenApi`, (_req, res) => {
    res.status(200).json(loadBundle());
  });
  app.use(API_BASE, canonicalQuery, integerQuery);
  app.use(
    OpenApiValidator.middleware({
      apiSpec: structuredClone(loadBundle()) as never,
      validateApiSpec: false,
      validateRequests: options.validateRequests === false ? false : { allowUnknownQueryParameters: true, coerceTypes: false },
      validateResponses: options.validateResponses ?? true,
      validateSecurity: false,
      validateFormats: true,
    }),
  );
  const router = express.Router();
  mountOperations(router, buildHandlers(services));
  app.use(API_BASE, router);
  app.use(errorHandler(log));

  return {
    app,
    services,
    database,
    close: options.database ? async () => {} : () => database.close(),
  };
}

/**
 * 401 with an empty body for missing or wrong credentials (EspoCRM); the actor for everything after.
 * `WWW-Authenticate` only when no credentials came at all and the request is neither an XMLHttpRequest, nor
 * has a Referer, nor is a POST (EspoCRM's rule for showing the browser's login dialog).
 */
function authenticate(authenticator: Authenticator, lockout?: FailedLoginLimit): RequestHandler {
  return async (req, res, next) => {
    const address = req.socket.remoteAddress ?? '';
    if (lockout?.isBlocked(address) && hasCredentials(req)) {
      // EspoCRM's blocked-address answer: no reason, no body, PHP's default content type.
      res.statusCode = 403;
      res.setHeader('Content-Type', 'text/html; charset=UTF-8');
      res.end();
      return;
    }
    const result = await authenticator.authenticate(req);
    if (!result.actor) {
      if (result.offeredCredentials) lockout?.noteRefused(address);
      const xhr = String(req.headers['x-requested-with'] ?? '').toLowerCase() === 'xmlhttprequest';
      if (!result.offeredCredentials && !xhr && !req.headers.referer && req.method !== 'POST') {
        res.setHeader('WWW-Authenticate', 'Basic realm=""');
      }
      sendError(res, 401, 'Unauthorized');
      return;
    }
    res.locals.actor = result.actor;
    next();
  };
}

/** EspoCRM checks the lockout only for requests that carry credentials (a login attempt). */
function hasCredentials(req: Request): boolean {
  return ['espo-authorization', 'x-api-key', 'x-hmac-authorization', 'authorization'].some((name) => req.headers[name] !== undefined);
}
