import { toAccount, toAccountCreated, toAccountList } from '../http/contract-records.js';
import type { Handler, HandlerInput, RequestInput } from '../http/operations.js';
import { requestContext } from '../http/request-context.js';
import type { Services } from '../services.js';

type AccountOps = 'listAccounts' | 'createAccount' | 'getAccount' | 'updateAccount' | 'patchAccount' | 'deleteAccount';

export async function contextOf(services: Services, input: RequestInput) {
  return requestContext(input.req, input.actor, await services.accessFor(input.actor));
}

export function accountHandlers(services: Services): { [K in AccountOps]: Handler<K> } {
  const { records } = services;
  // PUT and PATCH are the same partial update in EspoCRM.
  const update = async (input: HandlerInput<'updateAccount'> | HandlerInput<'patchAccount'>) =>
    toAccount(await records.update('Account', input.path.id, input.body ?? {}, await contextOf(services, input)));
  return {
    listAccounts: async (input) => toAccountList(await records.find('Account', input.list, await contextOf(services, input))),
    createAccount: async (input) => toAccountCreated(await records.create('Account', input.body, await contextOf(services, input))),
    getAccount: async (input) => toAccount(await records.read('Account', input.path.id, await contextOf(services, input))),
    updateAccount: update,
    patchAccount: update,
    deleteAccount: async (input) => records.delete('Account', input.path.id, await contextOf(services, input)),
  };
}
