import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { BadRequest, HttpError } from '../core/errors.js';
import { databaseError } from './database-errors.js';
import { BODY_LIMIT_BYTES } from './json-body.js';
import { sendError } from './send.js';
import { isValidatorError, translateValidatorError } from './validator-errors.js';

/** body-parser's failures, by its `type` tag. */
function bodyParserError(err: { type?: unknown }): HttpError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new BadRequest('Malformed JSON body.');
    case 'entity.too.large':
      return new HttpError(413, `Request body is larger than ${BODY_LIMIT_BYTES} bytes.`);
    case 'charset.unsupported':
      return new BadRequest('Unsupported body encoding.');
    case 'request.aborted':
      return new BadRequest('Request aborted.');
    default:
      return undefined;
  }
}

/**
 * A 4xx that Express or one of its parsers raised (http-errors: `status` and `expose`), e.g. a path that
 * does not percent-decode. Its message is not passed on: the reason names only the status.
 */
function httpClientError(err: unknown): HttpError | undefined {
  const { status, expose } = (typeof err === 'object' && err !== null ? err : {}) as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true ? new HttpError(status, `Bad request (${status}).`) : undefined;
}

/**
 * The one place where failures become responses: domain errors keep their status, reason and body;
 * validator and body-parser failures become what EspoCRM answers for the same input; database failures
 * that input or load can cause become a 400 or 503 with a reason of our own (never the driver's message);
 * anything else is a bug and answers 500 without details (logged with the stack).
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known =
      err instanceof HttpError
        ? err
        : isValidatorError(err)
          ? translateValidatorError(err, req)
          : typeof err === 'object' && err !== null
            ? (bodyParserError(err as { type?: unknown }) ?? databaseError(err))
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
    const clientError = httpClientError(err);
    if (clientError) {
      sendError(res, clientError.status, clientError.reason);
      return;
    }
    log.error({ err }, 'unhandled error');
    sendError(res, 500, 'Internal server error.');
  };
}
