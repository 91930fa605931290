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
  seed: boolean;
  seedAccounts: number;
  logLevel: string;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return parsed;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: integer('PORT', env.PORT, 8080),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || 'sqlite:./data/espo.sqlite',
    apiKey: env.ESPO_API_KEY || 'demo-api-key',
    apiSecret: env.ESPO_API_SECRET || 'demo-api-secret',
    adminUserName: env.ESPO_ADMIN_USERNAME || 'admin',
    adminPassword: env.ESPO_ADMIN_PASSWORD || 'admin-password',
    // Response validation is for tests and development; production turns it off for speed.
    validateResponses: env.ESPO_VALIDATE_RESPONSES !== '0',
    seed: env.ESPO_SEED !== '0',
    seedAccounts: integer('ESPO_SEED_ACCOUNTS', env.ESPO_SEED_ACCOUNTS, 300),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
