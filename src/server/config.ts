import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './core/errors.js';
import { DEFAULT_CORS_SETTINGS, isOrigin, type CorsSettings } from './http/cors.js';

/** Server settings from the environment; every one has a default that works on a fresh clone. */
export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string;
  apiKey: string;
  apiSecret: string;
  adminUserName: string;
  adminPassword: string;
  validateResponses: boolean;
  /** How long users and role tables are cached (ms); changes made elsewhere apply within this time. */
  identityCacheMs: number;
  /** PostgreSQL connections per process (ESPO_DB_POOL_SIZE, default 10). */
  poolSize: number;
  seed: boolean;
  seedAccounts: number;
  logLevel: string;
  /** Cross-origin access (off unless ESPO_API_CORS_ALLOWED_ORIGIN_LIST lists origins). */
  cors: CorsSettings;
  /** EspoCRM's login lockout: more than this many refused logins per address and period block it (0: off). */
  authMaxFailedAttemptNumber: number;
  /** The lockout's period, in seconds (EspoCRM's `authFailedAttemptsPeriod`, default 60). */
  authFailedAttemptsPeriod: number;
}

/** Defaults of the demo credentials; the banner prints only these, never values set by the environment. */
export const DEMO_CREDENTIALS = { apiKey: 'demo-api-key', apiSecret: 'demo-api-secret', adminUserName: 'admin', adminPassword: 'admin-password' } as const;

export const DEFAULT_DATABASE_URL = 'sqlite:./data/espo.sqlite';

export { ConfigError } from './core/errors.js';

function integer(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > max) {
    throw new ConfigError(`${name} must be an integer from 0 to ${max}, got '${value}'.`);
  }
  return parsed;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: integer('PORT', env.PORT, 8080, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    apiKey: env.ESPO_API_KEY || DEMO_CREDENTIALS.apiKey,
    apiSecret: env.ESPO_API_SECRET || DEMO_CREDENTIALS.apiSecret,
    adminUserName: env.ESPO_ADMIN_USERNAME || DEMO_CREDENTIALS.adminUserName,
    adminPassword: env.ESPO_ADMIN_PASSWORD || DEMO_CREDENTIALS.adminPassword,
    // Response validation is for tests and development; production turns it off for speed.
    validateResponses: env.ESPO_VALIDATE_RESPONSES !== '0',
    identityCacheMs: integer('ESPO_IDENTITY_CACHE_MS', env.ESPO_IDENTITY_CACHE_MS, 2000, 3_600_000),
    poolSize: integer('ESPO_DB_POOL_SIZE', env.ESPO_DB_POOL_SIZE, 10, 1000) || 10,
    seed: env.ESPO_SEED !== '0',
    seedAccounts: integer('ESPO_SEED_ACCOUNTS', env.ESPO_SEED_ACCOUNTS, 300),
    logLevel: env.LOG_LEVEL || 'info',
    cors: readCorsSettings(env),
    // Off by default: the reference server is a test target that many clients reach from one address.
    authMaxFailedAttemptNumber: integer('ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER', env.ESPO_AUTH_MAX_FAILED_ATTEMPT_NUMBER, 0, 1_000_000),
    authFailedAttemptsPeriod: integer('ESPO_AUTH_FAILED_ATTEMPTS_PERIOD', env.ESPO_AUTH_FAILED_ATTEMPTS_PERIOD, 60, 86_400),
  };
}

/** A comma-separated list; undefined when the variable is unset, so the default applies. */
function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** EspoCRM's apiCors* settings, as ESPO_API_CORS_* variables (comma-separated lists). */
export function readCorsSettings(env: NodeJS.ProcessEnv = process.env): CorsSettings {
  const origins = list(env.ESPO_API_CORS_ALLOWED_ORIGIN_LIST) ?? [];
  for (const origin of origins) {
    if (!isOrigin(origin)) {
      throw new ConfigError(
        `ESPO_API_CORS_ALLOWED_ORIGIN_LIST: '${origin}' is not an origin; list exact origins such as http://localhost:5173 (scheme, host and port, no path or trailing slash; no wildcards).`,
      );
    }
  }
  const tokens = (name: string, value: string | undefined, fallback: readonly string[]): readonly string[] => {
    const items = list(value) ?? fallback;
    const bad = items.find((item) => !HTTP_TOKEN.test(item));
    if (bad !== undefined) throw new ConfigError(`${name}: '${bad}' is not a valid HTTP method or header name.`);
    return items;
  };
  return {
    allowedOriginList: origins,
    allowedMethodList: tokens('ESPO_API_CORS_ALLOWED_METHOD_LIST', env.ESPO_API_CORS_ALLOWED_METHOD_LIST, DEFAULT_CORS_SETTINGS.allowedMethodList).map((m) => m.toUpperCase()),
    allowedHeaderList: tokens('ESPO_API_CORS_ALLOWED_HEADER_LIST', env.ESPO_API_CORS_ALLOWED_HEADER_LIST, DEFAULT_CORS_SETTINGS.allowedHeaderList),
    maxAge: integer('ESPO_API_CORS_MAX_AGE', env.ESPO_API_CORS_MAX_AGE, DEFAULT_CORS_SETTINGS.maxAge, 31_536_000),
  };
}

/** Creates the directory of a SQLite file, so `sqlite:./data/espo.sqlite` works on a fresh clone. */
export function ensureDatabaseDirectory(databaseUrl: string): void {
  const path = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : '';
  if (!path || path === ':memory:') return;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new Error(
      `Cannot create the directory ${resolve(dirname(path))} for the SQLite database file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. ` +
        'Create it, or set DATABASE_URL (or --database-url) to a sqlite:<file> in a writable directory.',
      { cause: error },
    );
  }
}

/** The URL with any password hidden, for messages. */
export function redactDatabaseUrl(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/[^@/]*@/, '//***@');
}
