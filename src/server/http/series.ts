import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Express middleware run one after another as one middleware. Every `app.use` layer costs the router a
 * path match, a prefix trim and its undo per request, and the validator's middleware alone are five layers;
 * one layer for a fixed sequence answers the same for less. An error (or a rejected promise, as Express 5
 * catches them) ends the sequence and goes to Express's error handling.
 */
export function series(...handlers: readonly RequestHandler[]): RequestHandler {
  if (handlers.length === 1) return handlers[0]!;
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const next = (error?: unknown) => {
      if (error !== undefined && error !== null) {
        done(error);
        return;
      }
      const handler = handlers[index++];
      if (!handler) {
        done();
        return;
      }
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        next(thrown ?? new Error('middleware threw a nullish value'));
      }
    };
    next();
  };
}
