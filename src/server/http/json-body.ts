/**
 * The JSON body parser. Bodies compressed with `Content-Encoding: gzip`, `deflate` or `br` are decoded; a
 * body that does not decode, and any other encoding, is a 400 with the reason (EspoCRM, which never
 * decodes request bodies, fails on the compressed bytes with a 500; a 415 would be a status EspoCRM never
 * sends, so clients written for it would not expect it).
 */
import express, { type RequestHandler } from 'express';
import { BadRequest } from '../core/errors.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Errors body-parser tags itself are translated by the error handler; the others come from decoding. */
const TAGGED = new Set(['entity.parse.failed', 'entity.too.large', 'charset.unsupported', 'request.aborted', 'entity.verify.failed']);

export function jsonBody(): RequestHandler {
  const parse = express.json({ limit: BODY_LIMIT_BYTES, strict: false, type: ['application/json', 'application/*+json'] });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      const type = (error as { type?: unknown }).type;
      if (typeof type === 'string' && TAGGED.has(type)) return next(error);
      const encoding = String(req.headers['content-encoding'] ?? '').slice(0, 40);
      next(
        type === 'encoding.unsupported'
          ? new BadRequest(`Unsupported Content-Encoding '${encoding}': use gzip, deflate, br or none.`)
          : new BadRequest(`Request body could not be decoded (Content-Encoding '${encoding}').`),
      );
    });
  };
}
