import type { RequestHandler } from 'express';

/**
 * EspoCRM answers `Content-Type: application/json` without a charset, and the official PHP client only
 * parses bodies whose content type is exactly that. Express adds `; charset=utf-8` in `res.json()` and
 * `res.set()`, so strip it at the one place every header passes through.
 */
export const plainJsonContentType: RequestHandler = (_req, res, next) => {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => {
    if (name.toLowerCase() === 'content-type' && typeof value === 'string' && value.startsWith('application/json')) {
      return setHeader(name, 'application/json');
    }
    return setHeader(name, value);
  };
  next();
};
