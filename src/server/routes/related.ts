/**
 * The supporting operations on related records: create, get and delete for each entity type the Account
 * links reach, and get for users. One generic handler per action over the record service.
 */
import { formatDate } from '../core/time.js';
import type { Handler, HandlerInput, OperationId } from '../http/operations.js';
import type { RecordData } from '../read/values.js';
import type { Services } from '../services.js';
import { contextOf } from './accounts.js';

export const RELATED_ENTITY_TYPES = ['Contact', 'Opportunity', 'Case', 'Call', 'Meeting', 'Task', 'Document', 'Email', 'TargetList', 'Team'] as const;
export type RelatedEntityType = (typeof RELATED_ENTITY_TYPES)[number];

type RelatedOps = `${'create' | 'get' | 'delete'}${RelatedEntityType}` | 'getUser';
type RelatedHandlers = { [K in RelatedOps]: Handler<K> };

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

export function relatedHandlers(services: Services): RelatedHandlers {
  const { records } = services;
  const handlers: Record<string, Handler<OperationId>> = {};
  for (const entityType of RELATED_ENTITY_TYPES) {
    handlers[`create${entityType}`] = async (input: HandlerInput<OperationId>) =>
      records.create(entityType, withDefaults(entityType, input.body, new Date()), await contextOf(services, input)) as never;
    handlers[`get${entityType}`] = async (input: HandlerInput<OperationId>) => records.read(entityType, pathId(input), await contextOf(services, input)) as never;
    handlers[`delete${entityType}`] = async (input: HandlerInput<OperationId>) => records.delete(entityType, pathId(input), await contextOf(services, input)) as never;
  }
  // Users are read-only here; their credentials are internal attributes and never part of a record.
  handlers.getUser = async (input: HandlerInput<OperationId>) => records.read('User', pathId(input), await contextOf(services, input)) as never;
  return handlers as unknown as RelatedHandlers;
}

function pathId(input: HandlerInput<OperationId>): string {
  return String((input.path as { id?: unknown }).id);
}
