import type { Handler, HandlerInput, OperationId, SuccessBodyOf } from '../http/operations.js';
import { parseQuery } from '../http/query-parser.js';
import { requestContext } from '../http/request-context.js';
import { parseSearchQuery } from '../search/search-params.js';
import type { Services } from '../services.js';

type AccountOps = 'listAccounts' | 'createAccount' | 'getAccount' | 'updateAccount' | 'patchAccount' | 'deleteAccount';

/**
 * The search parameters as the client wrote them. The validator coerces `req.query` (numbers, the
 * `select` list, parsed `searchParams`); EspoCRM's own parsing rules work on the raw strings.
 */
export function rawQuery(input: HandlerInput<OperationId>): Record<string, unknown> {
  const search = input.req.originalUrl.split('?')[1];
  return search ? parseQuery(search) : {};
}

export async function contextOf(services: Services, input: HandlerInput<OperationId>) {
  return requestContext(input.req, input.actor, await services.accessFor(input.actor));
}

/** The records the service returns are plain attribute maps; the contract's types describe them. */
function asContract<T>(value: unknown): T {
  return value as T;
}

export function accountHandlers(services: Services): { [K in AccountOps]: Handler<K> } {
  const { records } = services;
  // PUT and PATCH are the same partial update in EspoCRM.
  const update = async (input: HandlerInput<'updateAccount'> | HandlerInput<'patchAccount'>) =>
    asContract<SuccessBodyOf<'updateAccount'>>(
      await records.update('Account', input.path.id, input.body ?? {}, await contextOf(services, input)),
    );
  return {
    listAccounts: async (input) => {
      const params = parseSearchQuery(rawQuery(input));
      return asContract(await records.find('Account', params, await contextOf(services, input)));
    },
    createAccount: async (input) => asContract(await records.create('Account', input.body, await contextOf(services, input))),
    getAccount: async (input) => asContract(await records.read('Account', input.path.id, await contextOf(services, input))),
    updateAccount: update,
    patchAccount: update,
    deleteAccount: async (input) => records.delete('Account', input.path.id, await contextOf(services, input)),
  };
}
