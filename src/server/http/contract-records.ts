/**
 * The one boundary between stored records and the contract's types.
 *
 * The record, link and stream services return `RecordData`: attribute maps built at run time from the
 * entity metadata, whose shape TypeScript cannot know. Handlers must return their operation's response type
 * from generated/openapi.ts. Each converter here says which schema a service result has on the wire, and
 * `contractShape` asserts it. The assertion is sound because the response validator checks every response
 * against the bundle at run time (`validateResponses`, on in tests and development), so a record that does
 * not fit its schema fails a test instead of reaching a client. Nothing is copied or reordered: the bytes
 * on the wire are the service result's own.
 */
import type { components } from '../../../generated/openapi.js';
import type { RecordData } from '../read/values.js';
import type { FindResult } from '../search/find.js';
import type { StreamPage } from '../stream/stream-service.js';

type Schemas = components['schemas'];

/** The entity types of the related-record operations (`createCall`, `getCall`, …, `getUser`). */
export type RelatedEntityType = 'Contact' | 'Opportunity' | 'Case' | 'Call' | 'Meeting' | 'Task' | 'Document' | 'Email' | 'TargetList' | 'Team';
/** The entity types an Account link reaches (portal users are Users). */
export type LinkedEntityType = RelatedEntityType | 'User';

/** The only assertion between a service result and the contract (see the module comment). */
function contractShape<T>(value: RecordData | FindResult | StreamPage): T {
  return value as T;
}

function recordOf<S extends keyof Schemas>(): (record: RecordData) => Schemas[S] {
  return (record) => contractShape<Schemas[S]>(record);
}

function pageOf<S extends keyof Schemas>(): (page: FindResult) => Schemas[S] {
  return (page) => contractShape<Schemas[S]>(page);
}

/** `getAccount`, `updateAccount`, `patchAccount`: every attribute of the read view. */
export const toAccount = recordOf<'Account'>();
/** `createAccount`: the attributes that were set (unset ones are absent, not null). */
export const toAccountCreated = recordOf<'AccountCreated'>();
/** `listAccounts`: one page and the total. */
export const toAccountList = pageOf<'AccountList'>();

/** `create…`/`get…` of a related entity type, and `getUser`. */
export const toRelatedRecord: { readonly [E in LinkedEntityType]: (record: RecordData) => Schemas[E] } = {
  Contact: recordOf<'Contact'>(),
  Opportunity: recordOf<'Opportunity'>(),
  Case: recordOf<'Case'>(),
  Call: recordOf<'Call'>(),
  Meeting: recordOf<'Meeting'>(),
  Task: recordOf<'Task'>(),
  Document: recordOf<'Document'>(),
  Email: recordOf<'Email'>(),
  TargetList: recordOf<'TargetList'>(),
  Team: recordOf<'Team'>(),
  User: recordOf<'User'>(),
};

/** `listAccount{Link}`: one page of the records a link reaches, as the list of their entity type. */
export const toRelatedList: { readonly [E in LinkedEntityType]: (page: FindResult) => Schemas[`${E}List`] } = {
  Contact: pageOf<'ContactList'>(),
  Opportunity: pageOf<'OpportunityList'>(),
  Case: pageOf<'CaseList'>(),
  Call: pageOf<'CallList'>(),
  Meeting: pageOf<'MeetingList'>(),
  Task: pageOf<'TaskList'>(),
  Document: pageOf<'DocumentList'>(),
  Email: pageOf<'EmailList'>(),
  TargetList: pageOf<'TargetListList'>(),
  Team: pageOf<'TeamList'>(),
  User: pageOf<'UserList'>(),
};

/** `createNote`: the posted note. */
export const toNote = recordOf<'Note'>();

/** `listAccountStream`: one page of notes, the total and the pinned notes. */
export function toNoteList(page: StreamPage): Schemas['NoteList'] {
  return contractShape<Schemas['NoteList']>(page);
}
