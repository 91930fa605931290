import { existsSync } from 'node:fs';
import express, { type Express, type Request, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { pino, type Logger } from 'pino';
import { Authenticator, type AuthResult } from './auth/authenticate.js';
import { FailedLoginLimit, type FailedLoginLimitOptions } from './auth/failed-logins.js';
import { UserStore } from './auth/user-store.js';
import { CacheInvalidation } from './db/cache-invalidation.js';
import { onIdentityChange } from './acl/index.js';
import { migrateToLatest } from './db/migrate.js';
import { HttpError } from './core/errors.js';
import { openDatabase, type DatabaseHandle } from './db/open.js';
import { errorHandler } from './http/error-handler.js';
import { refuseNul } from './http/input-guard.js';
import { jsonBody } from './http/json-body.js';
import { series } from './http/series.js';
import { jsonResponses } from './http/json-response.js';
import { mountOperations } from './http/operations.js';
import { parseQuery } from './http/query-parser.js';
import { accessLog } from './http/access-log.js';
import { cors, type CorsSettings } from './http/cors.js';
import { canonicalQuery } from './http/canonical-query.js';
import { parseRequestQuery } from './http/request-query.js';
import { integerQuery } from './http/integer-query.js';
import { health, HEALTH_PATH } from './http/health.js';
import { memoizeValidatorRoutePatterns } from './http/route-patterns.js';
import { sendError } from './http/send.js';
import { buildHandlers } from './routes/index.js';
import { createServices, type Services } from './services.js';
import { packageFile } from '../package-root.js';
import { loadBundle, loadBundle30 } from '../spec/bundle.js';
import { validatorView } from '../spec/validator-view.js';

export const API_BASE = '/api/v1';
const DOCS_FILE = packageFile('docs/index.html');

export interface AppOptions {
  /** `sqlite:./data/espo.sqlite` (default `sqlite::memory:`), `postgres://…`; ignored when `database` is given. */
  databaseUrl?: string;
  /** PostgreSQL connections in the pool (default 10). */
  poolSize?: number;
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
  /** Cross-origin access to the API (EspoCRM's apiCors* settings); off when absent or no origin is listed. */
  cors?: CorsSettings;
  /** EspoCRM's login lockout (off when absent; `espo-ref serve`: ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER). */
  failedLoginLimit?: FailedLoginLimitOptions;
  logger?: Logger;
}

export interface App {
  app: Express;
  services: Services;
  database: DatabaseHandle;
  /** Forgets cached users and role tables (a change made elsewhere must apply now). */
  forgetIdentities(): void;
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
  const database = options.database ?? openDatabase(options.databaseUrl ?? 'sqlite::memory:', { poolSize: options.poolSize });
  await migrateToLatest(database.db);
  const identityCacheMs = options.identityCacheMs ?? 0;
  // Only a process that caches needs to hear of other processes' changes.
  const invalidation = new CacheInvalidation({
    listenUrl: identityCacheMs > 0 && database.engine === 'postgres' ? database.url : undefined,
    ...(database.schema ? { schema: database.schema } : {}),
    logger: log,
  });
  await invalidation.start();
  const services = createServices(database.db, { identityCacheMs, invalidation });
  const authenticator = new Authenticator(new UserStore(database.db, identityCacheMs, invalidation));
  const forgetIdentities = () => invalidation.clearLocal();
  // Changes made in this process apply at once; see README "Roles and access control".
  const stopListening = onIdentityChange(forgetIdentities);

  const app = express();
  app.disable('x-powered-by');
  // Also read by express-openapi-validator when it matches a request to an operation.
  app.set('case sensitive routing', true);
  // EspoCRM sends no ETag; computing one hashes every response body.
  app.set('etag', false);
  // PHP's `$_GET` rules wherever Express parses a query itself; API requests are parsed by parseRequestQuery.
  app.set('query parser', parseQuery);
  // Before the access log: load balancers probe it every few seconds.
  app.get(HEALTH_PATH, health(database.db));
  jsonResponses(app);
  app.use(accessLog(log));

  app.get('/', (_req, res) => res.redirect('/docs'));
  app.get('/docs', (_req, res) => {
    if (existsSync(DOCS_FILE)) res.sendFile(DOCS_FILE);
    else sendError(res, 404, 'Docs not built: run npm run docs.');
  });

  // Every API request passes these steps in this order, as one router layer (http/series.ts):
  // - CORS before authentication: browsers send preflights without credentials;
  // - the query string is made canonical and parsed once after authentication, which signs (HMAC) the
  //   URL as the client sent it; everything after reads that one parse (http/request-query.ts).
  const corsHandler = options.cors && cors(options.cors);
  const lockout = options.failedLoginLimit?.maxAttempts ? new FailedLoginLimit(options.failedLoginLimit) : undefined;
  app.use(
    API_BASE,
    series(...(corsHandler ? [corsHandler] : []), jsonBody(), authenticate(authenticator, lockout), canonicalQuery, parseRequestQuery, refuseNul),
  );
  // EspoCRM 9.3+ serves its OpenAPI description here; this server serves its own contract, and with
  // `?version=3.0` the OpenAPI 3.0.3 companion (generated/openapi-3.0.yaml) for tools that read only 3.0.
  app.get(`${API_BASE}/OpenApi`, (req, res) => {
    const version = req.query['version'];
    if (version === undefined || version === '3.1') res.status(200).json(loadBundle());
    else if (version === '3.0') res.status(200).json(loadBundle30());
    else sendError(res, 400, "Unknown OpenAPI version: use version=3.0 or version=3.1.");
  });
  memoizeValidatorRoutePatterns();
  const validator = OpenApiValidator.middleware({
    apiSpec: validatorView(loadBundle()) as never,
    validateApiSpec: false,
    validateRequests: options.validateRequests === false ? false : { allowUnknownQueryParameters: true, coerceTypes: false },
    validateResponses: options.validateResponses ?? true,
    validateSecurity: false,
    validateFormats: true,
  });
  app.use(API_BASE, integerQuery);
  app.use(series(...validator));
  // EspoCRM's router (Slim) matches paths case-sensitively: `/Account/{id}/Contacts` is not `contacts`.
  const router = express.Router({ caseSensitive: true });
  mountOperations(router, buildHandlers(services));
  app.use(API_BASE, router);
  app.use(errorHandler(log));

  return {
    app,
    services,
    database,
    forgetIdentities,
    close: async () => {
      stopListening();
      await invalidation.close();
      if (!options.database) await database.close();
    },
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
    let result: AuthResult;
    try {
      result = await authenticator.authenticate(req);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendError(res, error.status, error.reason, undefined, { fromAuth: true });
      return;
    }
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
