import type { RequestHandler } from 'express';
import { BadRequest } from '../core/errors.js';

/** The integer query parameters of the contract (paging); other parameters are strings or lists. */
const INTEGER_PARAMETERS = ['maxSize', 'offset'];

/**
 * Decimal integers only, before contract validation: ajv's type coercion would read `1e3` as 1000,
 * `0x10` as 16 and a blank as 0, none of which is an integer as the contract (or a client) writes one.
 */
export const integerQuery: RequestHandler = (req, _res, next) => {
  const query = req.query as Record<string, unknown>;
  for (const name of INTEGER_PARAMETERS) {
    const value = query[name];
    if (value !== undefined && !(typeof value === 'string' && /^-?\d+$/.test(value))) {
      next(new BadRequest(`${name} must be an integer.`));
      return;
    }
  }
  next();
};
