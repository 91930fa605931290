/** Conversion between stored column values and API values (see db/schema.ts for the storage rules). */
import type { AttributeDefs } from '../metadata/index.js';

/** A record as the API exchanges it: attribute name → JSON value. */
export type RecordData = Record<string, unknown>;

export function fromColumn(attribute: AttributeDefs, value: unknown): unknown {
  if (value === null || value === undefined) {
    return attribute.valueType === 'bool' ? false : null;
  }
  switch (attribute.valueType) {
    case 'bool':
      return Number(value) === 1;
    case 'int':
    case 'float':
      return Number(value);
    case 'json':
      return typeof value === 'string' ? parseJson(value) : value;
    default:
      return value;
  }
}

export function toColumn(attribute: AttributeDefs, value: unknown): unknown {
  if (value === null || value === undefined) {
    return attribute.valueType === 'bool' ? 0 : null;
  }
  switch (attribute.valueType) {
    case 'bool':
      return value ? 1 : 0;
    case 'json':
      return JSON.stringify(value);
    default:
      return value;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
