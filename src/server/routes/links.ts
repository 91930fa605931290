/**
 * `GET|POST|DELETE /Account/{id}/{link}` for every Account link of the contract: one generic handler per
 * method over the link service. The contract gives each link its own path (and operationIds
 * `listAccountCalls`, `relateAccountCalls`, `unrelateAccountCalls`, …).
 */
import { Forbidden } from '../core/errors.js';
import type { Handler, HandlerInput, OperationId } from '../http/operations.js';
import { parseSearchQuery } from '../search/search-params.js';
import type { Services } from '../services.js';
import { contextOf, rawQuery } from './accounts.js';

export const ACCOUNT_LINKS = [
  'calls', 'callsPrimary', 'cases', 'contacts', 'contactsPrimary', 'documents', 'emails', 'emailsPrimary',
  'meetings', 'meetingsPrimary', 'opportunities', 'portalUsers', 'targetLists', 'tasks', 'tasksPrimary', 'teams',
] as const;
export type AccountLink = (typeof ACCOUNT_LINKS)[number];

type LinkOps = `${'list' | 'relate' | 'unrelate'}Account${Capitalize<AccountLink>}`;
type LinkHandlers = { [K in LinkOps]: Handler<K> };

/** The ids of a relate/unrelate body: `id` and `ids`, merged in that order (EspoCRM's controller). */
export function idsOfBody(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const { id, ids } = body as { id?: unknown; ids?: unknown };
  return [...(id !== undefined && id !== null ? [String(id)] : []), ...(Array.isArray(ids) ? ids.map(String) : [])];
}

export function linkHandlers(services: Services): LinkHandlers {
  const { links } = services;
  const handlers: Record<string, Handler<OperationId>> = {};
  for (const link of ACCOUNT_LINKS) {
    const name = `Account${link[0]!.toUpperCase()}${link.slice(1)}`;
    handlers[`list${name}`] = async (input: HandlerInput<OperationId>) =>
      links.findLinked('Account', accountId(input), link, parseSearchQuery(rawQuery(input)), await contextOf(services, input)) as never;
    handlers[`relate${name}`] = async (input: HandlerInput<OperationId>) => {
      // EspoCRM's massRelate needs recordDefs `massLink`, which no Account link has.
      if (isMassRelate(input.body)) throw new Forbidden('Mass link is not allowed.');
      return links.relate('Account', accountId(input), link, idsOfBody(input.body), await contextOf(services, input)) as never;
    };
    handlers[`unrelate${name}`] = async (input: HandlerInput<OperationId>) =>
      links.unrelate('Account', accountId(input), link, idsOfBody(input.body), await contextOf(services, input)) as never;
  }
  return handlers as unknown as LinkHandlers;
}

function isMassRelate(body: unknown): boolean {
  return body !== null && typeof body === 'object' && Boolean((body as { massRelate?: unknown }).massRelate);
}

function accountId(input: HandlerInput<OperationId>): string {
  return String((input.path as { id?: unknown }).id);
}
