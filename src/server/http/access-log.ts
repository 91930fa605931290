import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * One structured line per request. Only the method, the path (no query string, no headers) and the
 * acting user are logged, so keys, secrets, passwords and search values never reach the log.
 */
export function accessLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (!log.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const actor = res.locals.actor as { id?: string } | undefined;
      log.info(
        {
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          userId: actor?.id,
        },
        'request',
      );
    });
    next();
  };
}
