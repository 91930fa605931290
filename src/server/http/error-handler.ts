import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { BadRequest, HttpError } from '../errors.js';
import { sendError } from './send.js';
import { isValidatorError, translateValidatorError } from './validator-errors.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** body-parser's failures, by its `type` tag. */
function bodyParserError(err: { type?: unknown }): HttpError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new BadRequest('Malformed JSON body.');
    case 'entity.too.large':
      return new HttpError(413, `Request body is larger than ${BODY_LIMIT_BYTES} bytes.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new BadRequest('Unsupported body encoding.');
    case 'request.aborted':
      return new BadRequest('Request aborted.');
    default:
      return undefined;
  }
}

/**
 * The one place where failures become responses: domain errors keep their status, reason and body;
 * validator and body-parser failures become what EspoCRM answers for the same input; anything else is a
 * bug and answers 500 without details (logged with the stack).
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known =
      err instanceof HttpError
        ? err
        : isValidatorError(err)
          ? translateValidatorError(err, req)
          : typeof err === 'object' && err !== null
            ? bodyParserError(err as { type?: unknown })
            : undefined;
    if (res.headersSent) {
      log.error({ err }, 'error after the response started');
      res.end();
      return;
    }
    if (known) {
      if (isValidatorError(err) && err.headers?.Allow) res.setHeader('Allow', err.headers.Allow);
      sendError(res, known.status, known.reason, known.body);
      return;
    }
    log.error({ err }, 'unhandled error');
    sendError(res, 500, 'Internal server error.');
  };
}
