/**
 * Database failures as answers. Input is checked before it reaches SQL, so these are a safety net, not the
 * validation: a value a column cannot hold (PostgreSQL class 22, "data exception") is the client's 400; a
 * write that lost to a concurrent one after every retry, a busy database or a cancelled statement is a
 * 503 the client may retry. The reason is ours: the driver's message never reaches the client.
 */
import { BadRequest, HttpError } from '../core/errors.js';

/** PostgreSQL SQLSTATE codes that mean "try again" (serialization, deadlock, lock and resource limits). */
const TRANSIENT = new Set(['40001', '40P01', '55P03', '57014', '53300', '53400', '57P03']);

export function databaseError(error: object): HttpError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  if (TRANSIENT.has(code)) return new HttpError(503, 'The database is busy with concurrent writes: try again.');
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new HttpError(503, 'The database is busy: try again.');
  if (/^22[0-9A-Z]{3}$/.test(code)) return new BadRequest('A value cannot be stored or compared by the database.');
  return undefined;
}
