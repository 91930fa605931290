/**
 * `GET|POST|DELETE /Account/{id}/{link}` for every Account link of the contract: one generic handler per
 * method over the link service. The contract gives each link its own path (and operationIds
 * `listAccountCalls`, `relateAccountCalls`, `unrelateAccountCalls`, …).
 */
import { Forbidden } from '../core/errors.js';
import { toRelatedList, type LinkedEntityType } from '../http/contract-records.js';
import type { Handler, RequestInput } from '../http/operations.js';
import type { SearchParams } from '../search/search-params.js';
import type { Services } from '../services.js';
import { contextOf } from './accounts.js';

export const ACCOUNT_LINKS = [
  'calls', 'callsPrimary', 'cases', 'contacts', 'contactsPrimary', 'documents', 'emails', 'emailsPrimary',
  'meetings', 'meetingsPrimary', 'opportunities', 'portalUsers', 'targetLists', 'tasks', 'tasksPrimary', 'teams',
] as const;
export type AccountLink = (typeof ACCOUNT_LINKS)[number];

/** The entity type each Account link reaches. */
const ACCOUNT_LINK_TYPES = {
  calls: 'Call',
  callsPrimary: 'Call',
  cases: 'Case',
  contacts: 'Contact',
  contactsPrimary: 'Contact',
  documents: 'Document',
  emails: 'Email',
  emailsPrimary: 'Email',
  meetings: 'Meeting',
  meetingsPrimary: 'Meeting',
  opportunities: 'Opportunity',
  portalUsers: 'User',
  targetLists: 'TargetList',
  tasks: 'Task',
  tasksPrimary: 'Task',
  teams: 'Team',
} as const satisfies { [L in AccountLink]: LinkedEntityType };

type LinkOps = `${'list' | 'relate' | 'unrelate'}Account${Capitalize<AccountLink>}`;
type LinkHandlers = { [K in LinkOps]: Handler<K> };

interface AccountInput extends RequestInput {
  path: { id: string };
}
interface LinkListInput extends AccountInput {
  list: SearchParams;
}
interface LinkChangeInput extends AccountInput {
  body: unknown;
}

/** The ids of a relate/unrelate body: `id` and `ids`, merged in that order (EspoCRM's controller). */
export function idsOfBody(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const id = 'id' in body ? body.id : undefined;
  const ids = 'ids' in body ? body.ids : undefined;
  return [...(id !== undefined && id !== null ? [String(id)] : []), ...(Array.isArray(ids) ? ids.map(String) : [])];
}

function isMassRelate(body: unknown): boolean {
  return body !== null && typeof body === 'object' && 'massRelate' in body && Boolean(body.massRelate);
}

/** The three handlers of one link; `list` answers the list type of the entity type the link reaches. */
function linkOperations(services: Services) {
  const { links } = services;
  return {
    list:
      <L extends AccountLink>(link: L) =>
      async (input: LinkListInput) =>
        toRelatedList[ACCOUNT_LINK_TYPES[link]](await links.findLinked('Account', input.path.id, link, input.list, await contextOf(services, input))),
    relate: (link: AccountLink) => async (input: LinkChangeInput) => {
      // EspoCRM's massRelate needs recordDefs `massLink`, which no Account link has.
      if (isMassRelate(input.body)) throw new Forbidden('Mass link is not allowed.');
      return links.relate('Account', input.path.id, link, idsOfBody(input.body), await contextOf(services, input));
    },
    unrelate: (link: AccountLink) => async (input: LinkChangeInput) =>
      links.unrelate('Account', input.path.id, link, idsOfBody(input.body), await contextOf(services, input)),
  };
}

/** Written out per link, so that `tsc` checks each operation's handler against its own response type. */
export function linkHandlers(services: Services): LinkHandlers {
  const { list, relate, unrelate } = linkOperations(services);
  return {
    listAccountCalls: list('calls'), relateAccountCalls: relate('calls'), unrelateAccountCalls: unrelate('calls'),
    listAccountCallsPrimary: list('callsPrimary'), relateAccountCallsPrimary: relate('callsPrimary'), unrelateAccountCallsPrimary: unrelate('callsPrimary'),
    listAccountCases: list('cases'), relateAccountCases: relate('cases'), unrelateAccountCases: unrelate('cases'),
    listAccountContacts: list('contacts'), relateAccountContacts: relate('contacts'), unrelateAccountContacts: unrelate('contacts'),
    listAccountContactsPrimary: list('contactsPrimary'), relateAccountContactsPrimary: relate('contactsPrimary'), unrelateAccountContactsPrimary: unrelate('contactsPrimary'),
    listAccountDocuments: list('documents'), relateAccountDocuments: relate('documents'), unrelateAccountDocuments: unrelate('documents'),
    listAccountEmails: list('emails'), relateAccountEmails: relate('emails'), unrelateAccountEmails: unrelate('emails'),
    listAccountEmailsPrimary: list('emailsPrimary'), relateAccountEmailsPrimary: relate('emailsPrimary'), unrelateAccountEmailsPrimary: unrelate('emailsPrimary'),
    listAccountMeetings: list('meetings'), relateAccountMeetings: relate('meetings'), unrelateAccountMeetings: unrelate('meetings'),
    listAccountMeetingsPrimary: list('meetingsPrimary'), relateAccountMeetingsPrimary: relate('meetingsPrimary'), unrelateAccountMeetingsPrimary: unrelate('meetingsPrimary'),
    listAccountOpportunities: list('opportunities'), relateAccountOpportunities: relate('opportunities'), unrelateAccountOpportunities: unrelate('opportunities'),
    listAccountPortalUsers: list('portalUsers'), relateAccountPortalUsers: relate('portalUsers'), unrelateAccountPortalUsers: unrelate('portalUsers'),
    listAccountTargetLists: list('targetLists'), relateAccountTargetLists: relate('targetLists'), unrelateAccountTargetLists: unrelate('targetLists'),
    listAccountTasks: list('tasks'), relateAccountTasks: relate('tasks'), unrelateAccountTasks: unrelate('tasks'),
    listAccountTasksPrimary: list('tasksPrimary'), relateAccountTasksPrimary: relate('tasksPrimary'), unrelateAccountTasksPrimary: unrelate('tasksPrimary'),
    listAccountTeams: list('teams'), relateAccountTeams: relate('teams'), unrelateAccountTeams: unrelate('teams'),
  };
}
