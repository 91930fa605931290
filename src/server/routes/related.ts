/**
 * The supporting operations on related records: create, get and delete for each entity type the Account
 * links reach, and get for users. One generic handler per action over the record service.
 */
import { formatDate } from '../core/time.js';
import { toRelatedRecord, type RelatedEntityType } from '../http/contract-records.js';
import type { Handler, RequestInput } from '../http/operations.js';
import type { RecordData } from '../read/values.js';
import type { Services } from '../services.js';
import { contextOf } from './accounts.js';

type RelatedOps = `${'create' | 'get' | 'delete'}${RelatedEntityType}` | 'getUser';
type RelatedHandlers = { [K in RelatedOps]: Handler<K> };

interface RecordInput extends RequestInput {
  path: { id: string };
}
interface CreateInput extends RequestInput {
  body: unknown;
}

/**
 * Defaults of the contract that the record service's field metadata cannot express:
 * - Document `publishDate`: today. EspoCRM computes this default in its web client only, so its API
 *   answers 400 `required` instead (recorded in docs/deviations.md);
 * - Opportunity `amountCurrency`: the default currency (EspoCRM DefaultPopulator, config `defaultCurrency`);
 * - Team `positionList`: an empty list (EspoCRM's default for array fields, fields/array.json).
 */
const CREATE_DEFAULTS: Partial<Record<RelatedEntityType, (now: Date) => RecordData>> = {
  Document: (now) => ({ publishDate: formatDate(now) }),
  Opportunity: () => ({ amountCurrency: 'USD' }),
  Team: () => ({ positionList: [] }),
};

function withDefaults(entityType: RelatedEntityType, body: unknown, now: Date): unknown {
  const defaults = CREATE_DEFAULTS[entityType];
  if (!defaults || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const given = body as RecordData;
  const missing = Object.entries(defaults(now)).filter(([name]) => given[name] === undefined);
  return { ...Object.fromEntries(missing), ...given };
}

/** The handlers of one entity type; `create` and `get` answer that entity type's schema. */
function recordOperations(services: Services) {
  const { records } = services;
  return {
    create:
      <E extends RelatedEntityType>(entityType: E) =>
      async (input: CreateInput) =>
        toRelatedRecord[entityType](await records.create(entityType, withDefaults(entityType, input.body, new Date()), await contextOf(services, input))),
    get:
      <E extends RelatedEntityType | 'User'>(entityType: E) =>
      async (input: RecordInput) =>
        toRelatedRecord[entityType](await records.read(entityType, input.path.id, await contextOf(services, input))),
    remove: (entityType: RelatedEntityType) => async (input: RecordInput) => records.delete(entityType, input.path.id, await contextOf(services, input)),
  };
}

/** Written out per entity type, so that `tsc` checks each operation's handler against its own response type. */
export function relatedHandlers(services: Services): RelatedHandlers {
  const { create, get, remove } = recordOperations(services);
  return {
    createContact: create('Contact'), getContact: get('Contact'), deleteContact: remove('Contact'),
    createOpportunity: create('Opportunity'), getOpportunity: get('Opportunity'), deleteOpportunity: remove('Opportunity'),
    createCase: create('Case'), getCase: get('Case'), deleteCase: remove('Case'),
    createCall: create('Call'), getCall: get('Call'), deleteCall: remove('Call'),
    createMeeting: create('Meeting'), getMeeting: get('Meeting'), deleteMeeting: remove('Meeting'),
    createTask: create('Task'), getTask: get('Task'), deleteTask: remove('Task'),
    createDocument: create('Document'), getDocument: get('Document'), deleteDocument: remove('Document'),
    createEmail: create('Email'), getEmail: get('Email'), deleteEmail: remove('Email'),
    createTargetList: create('TargetList'), getTargetList: get('TargetList'), deleteTargetList: remove('TargetList'),
    createTeam: create('Team'), getTeam: get('Team'), deleteTeam: remove('Team'),
    // Users are read-only here; their credentials are internal attributes and never part of a record.
    getUser: get('User'),
  };
}
