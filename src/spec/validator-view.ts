/**
 * The view of the contract that express-openapi-validator gets. The contract declares two things in the form
 * code generators handle (docs/decisions.md, ADR-009A and ADR-009B); the validator must keep checking the same inputs:
 *
 * - a query parameter that is a string holding JSON (`contentMediaType: application/json` + `contentSchema`)
 *   is validated as `content: application/json` with that schema, i.e. the decoded JSON is checked, as
 *   before (the validator treats `contentSchema` as an annotation only);
 * - a header declared as a string of decimal digits is validated as the non-negative integer it carries, as
 *   before (`Number()` semantics: `1.0` and ` 1` stay accepted, `-1`, `1.5` and `abc` stay rejected).
 *
 * Returns a copy; the input is not changed.
 */
import type { OpenApiDocument } from './bundle.js';

const DIGITS = '^[0-9]+$';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rewriteParameter(parameter: Json): void {
  const schema = parameter['schema'];
  if (!isObject(schema) || schema['type'] !== 'string') return;
  if (parameter['in'] === 'query' && schema['contentMediaType'] === 'application/json' && isObject(schema['contentSchema'])) {
    delete parameter['schema'];
    delete parameter['example'];
    parameter['content'] = { 'application/json': { schema: schema['contentSchema'] } };
  } else if (parameter['in'] === 'header' && schema['pattern'] === DIGITS) {
    parameter['schema'] = { type: 'integer', minimum: 0 };
    delete parameter['example'];
  }
}

export function validatorView(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  for (const parameter of Object.values(copy.components['parameters'] ?? {})) {
    if (isObject(parameter)) rewriteParameter(parameter);
  }
  for (const pathItem of Object.values(copy.paths)) {
    const lists = [pathItem.parameters, ...Object.values(pathItem).map((op) => (isObject(op) ? op['parameters'] : undefined))];
    for (const list of lists) {
      if (!Array.isArray(list)) continue;
      for (const parameter of list) if (isObject(parameter) && !('$ref' in parameter)) rewriteParameter(parameter);
    }
  }
  return copy;
}
