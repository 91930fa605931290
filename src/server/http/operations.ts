import type { Request, Response, Router } from 'express';
import type { operations } from '../../../generated/openapi.js';
import type { Actor } from '../acl/index.js';
import { listOperations } from '../../spec/bundle.js';
import { sendJson } from './send.js';

/**
 * Handlers are typed per operationId from the generated types, so a spec change that breaks a handler
 * (a renamed parameter, a changed response shape, a new operation without a handler) fails `tsc`.
 */
export type OperationId = keyof operations;

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
type Params<K extends OperationId> = operations[K]['parameters'];

export type RequestBodyOf<K extends OperationId> = operations[K] extends { requestBody?: infer R }
  ? JsonOf<NonNullable<R>>
  : undefined;
export type SuccessBodyOf<K extends OperationId> = operations[K]['responses'] extends { 200: infer R } ? JsonOf<R> : never;

export interface HandlerInput<K extends OperationId> {
  actor: Actor;
  /** Path parameters as validated. */
  path: Params<K> extends { path: infer P } ? P : Record<string, never>;
  /** The body as validated (absent when the operation takes none or the client sent none). */
  body: RequestBodyOf<K> | undefined;
  /** The raw request, for what the generated types cannot express (PHP bracket `where`, headers). */
  req: Request;
}

export type Handler<K extends OperationId> = (input: HandlerInput<K>) => Promise<SuccessBodyOf<K>>;
export type HandlerTable = { [K in OperationId]: Handler<K> };

/** `/Account/{id}/contacts` → `/Account/:id/contacts` */
function expressPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

/** The acting user, set by the authentication middleware. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new Error('no authenticated actor on this request');
  return actor;
}

/**
 * Registers one route per operation of the bundle, so the routes and the spec cannot drift apart; each
 * handler's result becomes a 200 JSON response (EspoCRM answers 200 to every success, create included).
 */
export function mountOperations(router: Router, handlers: HandlerTable): void {
  for (const { operationId, method, path } of listOperations()) {
    const handler = handlers[operationId as OperationId] as Handler<OperationId> | undefined;
    if (!handler) throw new Error(`No handler for operation ${operationId}`);
    router[method](expressPath(path), async (req: Request, res: Response) => {
      const result = await handler({
        actor: actorOf(res),
        path: req.params as never,
        body: req.body as never,
        req,
      });
      sendJson(res, result);
    });
  }
}
