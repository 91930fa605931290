import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import { resolve } from 'node:path';
import pg from 'pg';
import { ConfigError } from '../core/errors.js';
import type { Engine } from './dialect.js';
import { withPreparedStatements } from './prepared.js';
import type { Database } from './schema.js';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** PostgreSQL: the connection URL (for a dedicated LISTEN connection). */
  readonly url?: string;
  /** PostgreSQL: the schema put first on `search_path`, when one was given. */
  readonly schema?: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL only: schema put first on every connection's `search_path` (test isolation). */
  readonly schema?: string;
  /** PostgreSQL only: pool size (default 10). */
  readonly poolSize?: number;
}

/**
 * Opens `sqlite:./path.sqlite`, `sqlite::memory:` or `postgres://…` (also `postgresql://…`).
 * The schema is not created here: call `migrateToLatest(db)`.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    return openSqlite(url.slice('sqlite:'.length));
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return openPostgres(url, options);
  }
  throw new ConfigError(`Unsupported database URL '${redact(url)}': set DATABASE_URL (or --database-url) to sqlite:<file>, sqlite::memory: or postgres://…`);
}

function openSqlite(path: string): DatabaseHandle {
  if (path === '') {
    throw new ConfigError('Empty SQLite path in the database URL: set DATABASE_URL (or --database-url) to sqlite:<file> or sqlite::memory:');
  }
  let database: BetterSqlite3.Database | undefined;
  try {
    database = new BetterSqlite3(path);
    applySqlitePragmas(database, path === ':memory:');
  } catch (error) {
    database?.close();
    // The driver's own text ("unable to open database file") names neither the file nor the setting.
    throw new Error(
      `Cannot open the SQLite database file ${resolve(path)}: ${(error as Error).message}. ` +
        'Check that it is a writable file in a writable directory, or set DATABASE_URL (or --database-url) to another sqlite:<file>.',
      { cause: error },
    );
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

/**
 * Write transactions start with `BEGIN IMMEDIATE`. A plain (deferred) `BEGIN` takes the write lock only at
 * the first write; if another connection (another process on the same file: `espo-ref` next to a running
 * server) committed since the transaction's first read, SQLite answers SQLITE_BUSY at once, without
 * waiting for `busy_timeout`. Taking the lock up front makes concurrent writers wait instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs as much as running a small query. Statements are
 * reusable, so keep the most recent ones by SQL text (bounded: `IN` lists of different lengths make new
 * texts). SQLite re-prepares a cached statement by itself if the schema changed.
 */
function withStatementCache(database: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-insert: most recently used last
      } else {
        statement = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

function applySqlitePragmas(database: BetterSqlite3.Database, inMemory: boolean): void {
  if (!inMemory) {
    // WAL lets readers run while a writer commits; NORMAL sync is durable enough with WAL.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // No memory map. It covers only the first bytes of the file (a 1 000 000-account database is 1.7 GB), and
    // every page read through it counts in the process's RSS on top of the page cache below (+100 MB per
    // serving process at 1 000 000 accounts, +250 MB for the seed's ANALYZE), for no gain: a page in the
    // cache is as fast to read.
    database.pragma('mmap_size = 0');
  }
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 15000');
  database.pragma('temp_store = MEMORY');
  // 64 MiB of page cache per connection: the largest index a list's total scans at 1 000 000 accounts
  // (about 50 MB) stays in it; with half of it, every such count reads the index from the OS again (25 → 45 ms).
  database.pragma('cache_size = -65536');
  // Refresh planner statistics where they are missing or stale (SQLite's advice for long-lived
  // connections); list queries depend on them to pick the right index.
  database.pragma('optimize = 0x10002');
}

function openPostgres(url: string, options: OpenDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${quoteSchema(options.schema)}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
  return { db, engine: 'postgres', url, ...(options.schema ? { schema: options.schema } : {}), close: () => db.destroy() };
}

/** Schema names come from our own code, but keep them to identifier characters anyway. */
function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`Bad schema name '${schema}'`);
  }
  return schema;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
