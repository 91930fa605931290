/**
 * `GET /health` for load balancers and supervisors: outside `/api/v1`, no authentication. Runs a trivial
 * query; 200 `{"status":"ok"}` when the database answers, 503 with the reason when it does not (or takes
 * longer than the timeout: a pool exhausted by stuck queries counts as unhealthy).
 */
import type { RequestHandler } from 'express';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { headerSafe } from './send.js';

export const HEALTH_PATH = '/health';
const TIMEOUT_MS = 5_000;

export function health(db: Kysely<Database>): RequestHandler {
  return async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql`select 1`.execute(db),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        }),
      ]);
      res.status(200).json({ status: 'ok', database: 'ok' });
    } catch (error) {
      const reason = `Database unavailable: ${error instanceof Error ? error.message : String(error)}`;
      res.status(503).setHeader('X-Status-Reason', headerSafe(reason));
      res.json({ status: 'unavailable', database: reason });
    } finally {
      clearTimeout(timer);
    }
  };
}
