import type { HandlerTable } from '../http/operations.js';
import type { Services } from '../services.js';
import { accountHandlers } from './accounts.js';
import { linkHandlers } from './links.js';
import { relatedHandlers } from './related.js';
import { streamHandlers } from './stream.js';

/** One handler per operation of the contract: a missing or extra one fails `tsc`. */
export function buildHandlers(services: Services): HandlerTable {
  return {
    ...accountHandlers(services),
    ...linkHandlers(services),
    ...streamHandlers(services),
    ...relatedHandlers(services),
  };
}
