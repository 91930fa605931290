/**
 * Statements PostgreSQL should prepare once per connection. A statement sent without a name is parsed and
 * planned on every execution; for the read statement (one record with everything it shows, see
 * read/record-query.ts) planning took several times longer than executing. Code that compiles a fixed
 * statement registers its SQL here; the pool wrapper of db/open.ts sends registered SQL as a named
 * (prepared) statement. SQLite needs none of this: its driver keeps prepared statements itself.
 */
import type { Compilable, CompiledQuery, PostgresPool, PostgresPoolClient, QueryResult } from 'kysely';

const names = new Map<string, string>();
/** Registered statements at most (each connection keeps those it ran prepared). */
const MAX_STATEMENTS = 2000;

/** Marks `sql` as worth preparing; it must be a fixed text whose parameters vary, never input-built. */
export function prepareOnPostgres(sql: string): void {
  if (names.has(sql) || names.size >= MAX_STATEMENTS) return;
  names.set(sql, `espo_ref_${names.size + 1}`);
}

const WRAPPED = Symbol('prepared-statements');

/** A pool whose clients send registered statements by name (pg prepares a name once per connection). */
export function withPreparedStatements(pool: PostgresPool): PostgresPool {
  return {
    connect: async () => wrapClient(await pool.connect()),
    end: () => pool.end(),
  };
}

function wrapClient(client: PostgresPoolClient & { [WRAPPED]?: true }): PostgresPoolClient {
  if (client[WRAPPED]) return client;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown) => {
    const name = typeof text === 'string' && Array.isArray(values) ? names.get(text) : undefined;
    return name ? query({ name, text, values }) : values === undefined ? query(text) : query(text, values);
  }) as PostgresPoolClient['query'];
  client[WRAPPED] = true;
  return client;
}

/** Runs a query whose text is fixed (only its parameters vary), as a prepared statement on PostgreSQL. */
export async function executeFixed<R>(db: { executeQuery<O>(query: CompiledQuery<O>): Promise<QueryResult<O>> }, query: Compilable<R>): Promise<QueryResult<R>> {
  const compiled = query.compile();
  prepareOnPostgres(compiled.sql);
  return db.executeQuery(compiled);
}
