import type { Request } from 'express';
import { BadRequest, Forbidden, HttpError, NotFound, ValidationFailure } from '../core/errors.js';
import { SUB_QUERY_TYPES } from '../search/where-item.js';

/** What express-openapi-validator throws: a status and ajv errors reduced to path + message + keyword. */
export interface ValidatorError {
  status: number;
  message: string;
  errors?: { path: string; message: string; errorCode?: string }[];
  headers?: Record<string, string>;
}

export function isValidatorError(err: unknown): err is ValidatorError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { status?: unknown }).status === 'number' &&
    Array.isArray((err as { errors?: unknown }).errors)
  );
}

export const MAX_SIZE_REASON = 'Max size should not exceed 200. Use offset and limit.';

/** The entity type a record operation works on, for EspoCRM's messages: `createTargetList` → `TargetList`. */
export function entityTypeOf(operationId: string | undefined): string {
  return /^(?:create|update|patch|get|delete)([A-Z]\w*)$/.exec(operationId ?? '')?.[1] ?? 'Account';
}

/**
 * Turns a request-validation failure into the error EspoCRM gives for the same input (or, where EspoCRM
 * answers 500, a clear 400). Only the first failure is reported, as EspoCRM does.
 */
export function translateValidatorError(err: ValidatorError, req: Request): HttpError {
  if (err.status === 404) return notFound(req);
  if (err.status === 415) return new BadRequest('Content-Type must be application/json.');
  if (err.status !== 400) return new HttpError(err.status, err.message);

  const first = err.errors?.[0];
  if (!first) return new BadRequest(err.message);
  const [location = '', ...segments] = first.path.replace(/^\//, '').split('/');
  const keyword = (first.errorCode ?? '').replace('.openapi.validation', '');
  const operationId = (req as Request & { openapi?: { schema?: { operationId?: string } } }).openapi?.schema?.operationId;

  switch (location) {
    case 'body':
      return bodyError(segments, keyword, entityTypeOf(operationId), req.body);
    case 'query':
      return queryError(segments, keyword, first.message, req.query);
    case 'path':
    case 'params':
      return new NotFound(`Record ${String(req.params?.id ?? '')} does not exist.`);
    case 'headers':
      return new BadRequest(`Header ${segments[0] ?? ''} ${first.message}.`);
    default:
      return new BadRequest(`${first.path} ${first.message}.`);
  }
}

function notFound(req: Request): HttpError {
  const link = /^\/api\/v1\/Account\/[^/]+\/([^/]+)$/.exec(req.path);
  if (link) {
    // EspoCRM's two wordings: GET goes through findLinked, POST/DELETE through the link service.
    return new NotFound(req.method === 'GET' ? 'Link does not exist.' : `Entity Account does not have link ${link[1]}.`);
  }
  return new NotFound('Route not found.');
}

/** Nested data fields validate as the field EspoCRM reports: `emailAddressData/0/…` is `emailAddress`. */
const FIELD_OF_ATTRIBUTE: Record<string, string> = {
  emailAddressData: 'emailAddress',
  phoneNumberData: 'phoneNumber',
};

function bodyError(segments: string[], keyword: string, entityType: string, body: unknown): HttpError {
  const attribute = segments[0];
  if (!attribute) return new BadRequest('Body is not a JSON object.');
  const field = FIELD_OF_ATTRIBUTE[attribute] ?? attribute;
  const value = valueAt(body, segments);
  return new ValidationFailure(entityType, field, validationType(field, keyword, value, segments));
}

/** ajv keyword → EspoCRM validation type (`required`, `maxLength`, `pattern`, `valid`, `emailAddress`, `maxCount`). */
function validationType(field: string, keyword: string, value: unknown, segments: string[]): string {
  switch (keyword) {
    case 'required':
    case 'minLength':
      return 'required';
    case 'maxLength':
      return 'maxLength';
    case 'maxItems':
      return 'maxCount';
    case 'pattern':
      return field === 'phoneNumber' ? 'valid' : 'pattern';
    case 'type':
      // `"name": null` is EspoCRM's "required"; any other wrong JSON type cannot be a valid value.
      if (value === null && segments.length === 1) return 'required';
      if (field === 'emailAddress' && segments.length > 1) return 'emailAddress';
      return 'valid';
    default:
      return 'valid';
  }
}

function queryError(segments: string[], keyword: string, message: string, query: unknown): HttpError {
  const inJson = segments[0] === 'searchParams';
  const path = inJson ? segments.slice(1) : segments;
  const name = path[0] ?? '';
  const value = valueAt(inJson ? (query as Record<string, unknown>)?.searchParams : query, path);
  const entityType = 'Account';

  if (inJson && path.length === 0) return new BadRequest('Invalid search params JSON.');
  if (name === 'maxSize' && keyword === 'maximum') return new Forbidden(MAX_SIZE_REASON);
  if (name === 'primaryFilter' && keyword === 'enum') return new BadRequest(`No primary filter '${String(value)}' for '${entityType}'.`);
  if (name === 'boolFilterList' && keyword === 'enum') return new BadRequest(`No bool filter '${String(value)}' for '${entityType}'.`);
  if (name === 'orderBy' && keyword === 'enum') return new BadRequest(`Order by non-existing field '${String(value)}'.`);
  if (name === 'order' && keyword === 'enum') return new BadRequest('order value is bad.');
  if (name === 'where' || name === 'whereGroup') return whereError(path.slice(1), keyword, message, value);
  return new BadRequest(`${inJson ? 'searchParams.' : ''}${path.join('.')} ${message}.`);
}

function whereError(path: string[], keyword: string, message: string, value: unknown): HttpError {
  const at = `where item ${path.filter((s) => /^\d+$/.test(s)).join('.') || '0'}`;
  const last = path[path.length - 1];
  if (last === 'type' && keyword === 'enum') {
    // The contract leaves these out of its enum; EspoCRM knows them and refuses them over the API
    // (Core/Select/Where/Checker::checkItem, a Forbidden re-thrown as 400).
    if (SUB_QUERY_TYPES.has(String(value))) return new BadRequest('Sub-queries are forbidden in where.');
    return new BadRequest(`Unknown where item type '${String(value)}'.`);
  }
  if (keyword === 'required') return new BadRequest(`Bad ${at}: ${message}.`);
  if (keyword === 'additionalProperties') return new BadRequest(`Bad ${at}: unknown key.`);
  return new BadRequest(`Bad ${at}: ${last ?? 'value'} ${message}.`);
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
