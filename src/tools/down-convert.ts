/**
 * The OpenAPI 3.0.3 companion (generated/openapi-3.0.yaml) of the 3.1 bundle, for tools that read only 3.0
 * (AutoRest, kin-openapi, older generators). docs/decisions.md, ADR-009C.
 *
 * @apiture/openapi-down-convert does the bulk (type arrays → `nullable`, `examples` → `example`, `const` →
 * `enum`, `$comment`, unsupported keywords). Before it runs, this module rewrites what it leaves invalid
 * for 3.0 or what it would express worse:
 *
 * - `anyOf`/`oneOf` with a `{type: 'null'}` branch → the branch is dropped and the schema is `nullable`
 *   (one remaining `$ref` branch becomes `allOf: [$ref]` + `nullable: true`);
 * - `const: ''` on a string → `maxLength: 0` (the same set of values, without an `''` enum member that
 *   generators turn into an invalid identifier: ADR-009A);
 * - `contentMediaType`/`contentSchema` on a string parameter (3.0 has no such keywords) → the string stays,
 *   its description names the schema of the JSON it holds;
 * - `info.summary` (3.1 only) → the first paragraph of `info.description`;
 * - `license.identifier` (3.1 only) → dropped (the license name stays).
 */
import { Converter } from '@apiture/openapi-down-convert';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNullBranch = (s: unknown) => isObject(s) && s['type'] === 'null' && Object.keys(s).every((k) => ['type', 'description', 'title'].includes(k));

function rewriteSchemas(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(rewriteSchemas);
    return;
  }
  if (!isObject(node)) return;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = node[key];
    if (!Array.isArray(branches) || !branches.some(isNullBranch)) continue;
    const rest = branches.filter((b) => !isNullBranch(b));
    if (rest.length === 1 && isObject(rest[0])) {
      delete node[key];
      const only = rest[0];
      if (typeof only['$ref'] === 'string') node['allOf'] = [only];
      else Object.assign(node, only);
    } else {
      node[key] = rest;
    }
    node['nullable'] = true;
  }
  if (node['const'] === '' && (node['type'] === 'string' || node['type'] === undefined)) {
    delete node['const'];
    node['type'] = 'string';
    node['maxLength'] = 0;
  }
  for (const value of Object.values(node)) rewriteSchemas(value);
}

function rewriteJsonStringParameters(doc: Json): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const schema = node['schema'];
    if (typeof node['in'] === 'string' && isObject(schema) && isObject(schema['contentSchema'])) {
      const ref = schema['contentSchema']['$ref'];
      const name = typeof ref === 'string' ? ref.split('/').pop() : 'the schema';
      delete schema['contentSchema'];
      delete schema['contentMediaType'];
      node['description'] = `${String(node['description'] ?? '').trimEnd()}\n\nIn this OpenAPI 3.0 document: a string holding JSON that matches the \`${name}\` schema.\n`;
    }
    Object.values(node).forEach(visit);
  };
  visit(doc);
}

export function toOpenApi30(source: Json): Json {
  const doc = structuredClone(source);
  const info = isObject(doc['info']) ? doc['info'] : undefined;
  if (info && typeof info['summary'] === 'string') {
    info['description'] = `${info['summary']}\n\n${String(info['description'] ?? '')}`;
    delete info['summary'];
  }
  if (info && isObject(info['license'])) delete info['license']['identifier'];
  rewriteJsonStringParameters(doc);
  rewriteSchemas(doc['components']);
  rewriteSchemas(doc['paths']);
  return new Converter(doc, { verbose: false }).convert() as Json;
}
