/**
 * Invalidation of what a process caches about identities (users, their teams) and role tables, across
 * every process serving one database. One entry point, `invalidate(db)`, called wherever users, teams,
 * roles or memberships change; it clears this process's caches and tells the others:
 *
 * - PostgreSQL: `NOTIFY espo_ref_identity` in the change's own transaction (delivered only when it commits,
 *   so nobody reloads the old data after hearing of it); each caching process LISTENs on a dedicated
 *   connection. When that connection is lost, everything is cleared, and again once it is back (notices
 *   sent in between are lost); until then the cache lifetime bounds staleness.
 * - SQLite under `serve --workers N`: an IPC message to the primary, which relays it to the other workers.
 *   Other processes on the same file (`espo-ref` commands) are not reached: their changes apply within the
 *   cache lifetime (ESPO_IDENTITY_CACHE_MS, default 2 s).
 */
import cluster from 'node:cluster';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { engineOf } from './dialect.js';

export const INVALIDATION_CHANNEL = 'espo_ref_identity';
/** The IPC message between cluster workers and their primary. */
export const INVALIDATION_MESSAGE = 'espo-ref:invalidate-identities';

/** A cache of identity or role data. */
export interface Clearable {
  clear(): void;
}

/**
 * Tells other processes that identity or role data changed. Inside a transaction on PostgreSQL the notice
 * leaves when it commits; on SQLite there is nobody to notify through the database (no-op). For code that
 * changes such data outside a server (the `espo-ref` commands). The payload names the writer's schema:
 * channels are per database, and deployments (or tests) that share one database in separate schemas
 * should not clear each other's caches.
 */
export async function notifyIdentityChange(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') await sql`select pg_notify(${INVALIDATION_CHANNEL}, current_schema())`.execute(db);
}

export interface CacheInvalidationOptions {
  /** PostgreSQL URL to LISTEN on (only processes that cache need it). */
  listenUrl?: string;
  /** The listening connection's application_name (default `espo-ref identity listener <pid>`). */
  applicationName?: string;
  /** Hear only notices from writers in this schema (default: every notice on the channel). */
  schema?: string;
  logger?: Logger;
}

export function isInvalidationMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === INVALIDATION_MESSAGE;
}

export class CacheInvalidation {
  private readonly caches = new Set<Clearable>();
  private listener: NotificationListener | undefined;
  private readonly onIpc = (message: unknown) => {
    if (isInvalidationMessage(message)) this.clearLocal();
  };

  constructor(private readonly options: CacheInvalidationOptions = {}) {}

  /** Starts hearing of other processes' changes (LISTEN on PostgreSQL, IPC in a cluster worker). */
  async start(): Promise<void> {
    if (cluster.isWorker) process.on('message', this.onIpc);
    if (this.options.listenUrl) {
      const name = this.options.applicationName ?? `espo-ref identity listener ${process.pid}`;
      this.listener = new NotificationListener(this.options.listenUrl, name, this.options.schema, () => this.clearLocal(), this.options.logger);
      await this.listener.start();
    }
  }

  register(cache: Clearable): void {
    this.caches.add(cache);
  }

  /** The entry point: identity or role data changed (`db`: the change's transaction, or the database). */
  async invalidate(db?: Kysely<any>): Promise<void> {
    this.clearLocal();
    if (db && engineOf(db) === 'postgres') {
      await notifyIdentityChange(db);
      return;
    }
    // SQLite: a write transaction is synchronous work between promise turns; by the next macrotask it has
    // committed, so the other workers reload committed data.
    setImmediate(() => {
      this.clearLocal();
      if (cluster.isWorker && process.connected) process.send?.({ type: INVALIDATION_MESSAGE });
    });
  }

  clearLocal(): void {
    for (const cache of this.caches) cache.clear();
  }

  async close(): Promise<void> {
    process.off('message', this.onIpc);
    await this.listener?.close();
  }
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/** A dedicated connection that LISTENs, reconnecting with backoff; every notice, loss and reconnect calls `onNotice`. */
class NotificationListener {
  private client: pg.Client | undefined;
  private closed = false;
  private delay = RECONNECT_MIN_MS;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly applicationName: string,
    private readonly schema: string | undefined,
    private readonly onNotice: () => void,
    private readonly log?: Logger,
  ) {}

  /** The first connection must succeed (the server is starting and its database must be reachable). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, application_name: this.applicationName });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      if (this.closed) return;
      this.log?.warn({ err: error }, 'lost the cache invalidation connection; clearing caches and reconnecting');
      this.onNotice();
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('notification', (message) => {
      if (message.channel === INVALIDATION_CHANNEL && (this.schema === undefined || message.payload === this.schema)) this.onNotice();
    });
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    } catch (error) {
      lost = true;
      client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.delay = RECONNECT_MIN_MS;
    // Notices sent while nobody listened are lost: anything cached may be stale.
    this.onNotice();
  }

  private scheduleReconnect(): void {
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
    this.timer = setTimeout(() => {
      if (this.closed) return;
      this.connect().catch((error: unknown) => {
        this.log?.warn({ err: error }, 'cache invalidation connection failed; retrying');
        this.scheduleReconnect();
      });
    }, wait);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
