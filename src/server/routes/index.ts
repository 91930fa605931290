import { HttpError } from '../errors.js';
import type { Handler, HandlerTable, OperationId } from '../http/operations.js';
import type { Services } from '../services.js';
import { accountHandlers } from './accounts.js';

// Temporary during development: operations whose domain code is being written answer 501.
function pending<K extends OperationId>(): Handler<K> {
  return async () => {
    throw new HttpError(501, 'Not implemented yet.');
  };
}

export function buildHandlers(services: Services): HandlerTable {
  const table = new Proxy({} as HandlerTable, { get: () => pending() });
  return Object.assign(Object.create(table) as HandlerTable, accountHandlers(services));
}
