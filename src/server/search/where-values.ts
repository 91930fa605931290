/**
 * Where values arrive as strings from bracket queries (`1`/`0` from PHP clients, `True`/`False`/`None`
 * from Python ones) or typed from JSON; coerce them by the attribute's type.
 */
import { BadRequest } from '../core/errors.js';
import type { AttributeDefs } from '../metadata/index.js';

export type Scalar = string | number | null;

const TRUE_SPELLINGS = new Set(['1', 'true', 'True', 'TRUE']);
const FALSE_SPELLINGS = new Set(['0', 'false', 'False', 'FALSE', '']);
const NULL_SPELLINGS = new Set(['None', 'null', 'NULL']);

function bad(attribute: AttributeDefs): BadRequest {
  return new BadRequest(`Bad where item value for attribute '${attribute.name}'.`);
}

export function coerceScalar(attribute: AttributeDefs, value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') throw bad(attribute);
  switch (attribute.valueType) {
    case 'bool': {
      // Stored as 0/1 (and SQLite cannot bind JS booleans).
      const bool = coerceBool(value, () => bad(attribute));
      return bool === null ? null : bool ? 1 : 0;
    }
    case 'int':
    case 'float': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value !== 'string' && typeof value !== 'number') throw bad(attribute);
      const number = typeof value === 'string' && value.trim() === '' ? Number.NaN : Number(value);
      if (!Number.isFinite(number)) throw bad(attribute);
      return number;
    }
    default:
      if (typeof value === 'boolean') return value ? '1' : '';
      if (typeof value !== 'string' && typeof value !== 'number') throw bad(attribute);
      return String(value);
  }
}

export function coerceBool(value: unknown, error: () => Error): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    if (TRUE_SPELLINGS.has(value)) return true;
    if (FALSE_SPELLINGS.has(value)) return false;
    if (NULL_SPELLINGS.has(value)) return null;
  }
  throw error();
}

/** `dateTime`/`date` item flags; unlike PHP, the string "false" is false. */
export function flagOf(value: unknown, key: string): boolean {
  if (value === undefined || value === null) return false;
  return coerceBool(value, () => new BadRequest(`Bad where item: '${key}' should be a boolean.`)) ?? false;
}

export function isStorageNumber(attribute: AttributeDefs): boolean {
  return attribute.valueType === 'int' || attribute.valueType === 'float' || attribute.valueType === 'bool';
}
