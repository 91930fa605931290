/**
 * Client input → sanitized attribute values, as EspoCRM's record service prepares it
 * (Service::filterCreateInput/filterUpdateInput, field sanitizers, BaseEntity::set):
 * - `id`, system and read-only attributes and unknown attributes are dropped silently;
 * - varchar/url/email/phone values are trimmed and '' becomes null; text '' becomes null;
 * - bools are true only for 1, '1', true, 'true'.
 * Values that cannot be coerced at all (an object for a name) are reported as validation failures
 * of their field instead of being stored as EspoCRM's "Array"/"Object" strings.
 */
import { BadRequest } from '../core/errors.js';
import { parseDateTime, formatDateTime } from '../core/time.js';
import type { AttributeDefs, EntityMeta, FieldDefs } from '../metadata/index.js';
import type { RecordData } from '../read/values.js';

export interface ParsedInput {
  /** Accepted attribute → sanitized API value. */
  readonly values: RecordData;
  /** Fields with at least one accepted attribute in the input. */
  readonly sentFields: ReadonlySet<string>;
  /** Field → validation type for values that could not be coerced. */
  readonly malformed: ReadonlyMap<string, string>;
  /** Legacy body flag `_skipDuplicateCheck`. */
  readonly skipDuplicateCheck: boolean;
}

/** EspoCRM filterCreateInput removes these whatever the metadata says. */
const SYSTEM_ATTRIBUTES = new Set(['id', 'deleted', 'createdAt', 'createdById', 'createdByName', 'modifiedAt', 'modifiedById', 'modifiedByName', 'versionNumber']);

const WRITABLE_KINDS = new Set<AttributeDefs['kind']>(['column', 'primaryEmail', 'emailFlag', 'emailData', 'primaryPhone', 'phoneFlag', 'phoneData', 'linkMultipleIds']);

class Malformed {
  constructor(readonly type: string) {}
}

export function parseInput(meta: EntityMeta, input: unknown): ParsedInput {
  const body = asObject(input);
  const values: RecordData = {};
  const sentFields = new Set<string>();
  const malformed = new Map<string, string>();
  for (const [name, raw] of Object.entries(body)) {
    const attribute = meta.attributes.get(name);
    if (!attribute || !isWritable(attribute)) {
      continue;
    }
    const field = meta.fields.get(attribute.field);
    const value = sanitize(attribute, field, raw);
    sentFields.add(attribute.field);
    if (value instanceof Malformed) {
      if (!malformed.has(attribute.field)) malformed.set(attribute.field, value.type);
      continue;
    }
    values[name] = value;
  }
  return { values, sentFields, malformed, skipDuplicateCheck: body._skipDuplicateCheck === true };
}

/** JSON arrays are wrapped by EspoCRM as `{list: …}`, i.e. carry no attributes; scalars are refused. */
function asObject(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null || Array.isArray(input)) {
    return {};
  }
  if (typeof input !== 'object') {
    throw new BadRequest('Body is not a JSON object.');
  }
  return input as Record<string, unknown>;
}

function isWritable(attribute: AttributeDefs): boolean {
  return !SYSTEM_ATTRIBUTES.has(attribute.name) && !attribute.readOnly && WRITABLE_KINDS.has(attribute.kind);
}

function sanitize(attribute: AttributeDefs, field: FieldDefs | undefined, raw: unknown): unknown {
  switch (attribute.kind) {
    case 'emailData':
      return sanitizeList(raw, 'emailAddress', (item) => ({
        emailAddress: trimmed(item.emailAddress) ?? '',
        primary: toBool(item.primary),
        optOut: toBool(item.optOut),
        invalid: toBool(item.invalid),
      }));
    case 'phoneData':
      return sanitizeList(raw, 'valid', (item) => ({
        phoneNumber: trimmed(item.phoneNumber) ?? '',
        type: item.type === undefined || item.type === null ? null : item.type,
        primary: toBool(item.primary),
        optOut: toBool(item.optOut),
        invalid: toBool(item.invalid),
      }));
    case 'linkMultipleIds':
      return raw === null ? [] : Array.isArray(raw) && raw.every((id) => typeof id === 'string') ? [...new Set(raw)] : new Malformed('pattern');
    default:
      return sanitizeScalar(attribute, field, raw);
  }
}

function sanitizeList(raw: unknown, failure: string, map: (item: Record<string, unknown>) => RecordData): unknown {
  if (raw === null) {
    return [];
  }
  if (!Array.isArray(raw) || raw.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))) {
    return new Malformed(failure);
  }
  return raw.map((item: Record<string, unknown>) => map(item));
}

function sanitizeScalar(attribute: AttributeDefs, field: FieldDefs | undefined, raw: unknown): unknown {
  if (raw === null || raw === undefined) {
    return attribute.valueType === 'bool' ? false : null;
  }
  switch (attribute.valueType) {
    case 'bool':
      return toBool(raw);
    case 'int':
      return toNumber(raw, true);
    case 'float':
      return toNumber(raw, false);
    case 'json':
      return typeof raw === 'object' ? raw : new Malformed('valid');
    case 'datetime':
      return typeof raw === 'string' ? normalizeDateTime(raw.trim()) : new Malformed('valid');
    case 'date':
      return typeof raw === 'string' ? raw.trim() || null : new Malformed('valid');
    case 'id':
      return typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : new Malformed('pattern');
    default:
      return sanitizeString(field, raw);
  }
}

function sanitizeString(field: FieldDefs | undefined, raw: unknown): unknown {
  if (typeof raw === 'object') {
    return new Malformed('valid');
  }
  const value = String(raw);
  switch (field?.type) {
    case 'text':
    case 'wysiwyg':
      return value === '' ? null : value;
    case 'enum':
      return value;
    default:
      // StringTrim (varchar, url, email, phone).
      return trimmed(value);
  }
}

function trimmed(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return null;
  }
  const result = String(value).trim();
  return result === '' ? null : result;
}

/** EspoCRM BaseEntity: a bool is true only for 1, '1', true and 'true'. */
function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

function toNumber(raw: unknown, integer: boolean): unknown {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return new Malformed('valid');
  }
  return integer ? Math.trunc(value) : value;
}

/** Accepts the API format (seconds optional) and ISO 8601 with an offset (EspoCRM Datetime sanitizer). */
function normalizeDateTime(value: string): unknown {
  if (value === '') {
    return null;
  }
  const parsed = parseDateTime(value);
  if (parsed) {
    return formatDateTime(parsed);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : formatDateTime(date);
  }
  return value; // reported by the `valid` check
}
