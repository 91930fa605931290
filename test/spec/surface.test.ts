import { describe, expect, it } from 'vitest';
import { listOperations, loadBundle, resolveRef, type OpenApiDocument, type Parameter } from '../../src/spec/bundle.js';

/**
 * A breaking-change guard: the public surface of the contract (operations, parameters, required fields,
 * property types, enums) is compared with a committed snapshot. Any difference fails until the snapshot is
 * deliberately updated (`npx vitest run test/spec/surface.test.ts -u`) and the change is reviewed.
 */
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};

function describeSchema(doc: OpenApiDocument, node: Schema | undefined, depth = 0): unknown {
  if (!node) return null;
  if (node.$ref) {
    const name = node.$ref.split('/').pop();
    return depth > 0 ? `#${name}` : { ref: name, ...(describeSchema(doc, resolveRef<Schema>(doc, node), depth) as object) };
  }
  const merged = flatten(doc, node);
  const out: Record<string, unknown> = {};
  if (merged.type) out.type = merged.type;
  if (merged.enum) out.enum = merged.enum;
  if (merged.const !== undefined) out.const = merged.const;
  if (merged.required.length) out.required = [...merged.required].sort();
  if (Object.keys(merged.properties).length && depth < 2) {
    out.properties = Object.fromEntries(
      Object.entries(merged.properties)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, describeSchema(doc, v, depth + 1)]),
    );
  }
  if (merged.items && depth < 2) out.items = describeSchema(doc, merged.items, depth + 1);
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (node[key]) out[key] = node[key]!.map((s) => describeSchema(doc, s, depth + 1));
  }
  return out;
}

function flatten(doc: OpenApiDocument, node: Schema) {
  const result = { type: node.type, enum: node.enum, const: node.const, items: node.items, required: [...(node.required ?? [])], properties: { ...(node.properties ?? {}) } };
  for (const part of node.allOf ?? []) {
    const sub = flatten(doc, resolveRef<Schema>(doc, part));
    result.type ??= sub.type;
    result.required.push(...sub.required);
    result.properties = { ...sub.properties, ...result.properties };
  }
  result.required = [...new Set(result.required)];
  return result;
}

function surface(doc: OpenApiDocument) {
  return listOperations(doc).map(({ operationId, method, path, operation, pathItem }) => {
    const params = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => {
      const param = resolveRef<Parameter & { schema?: Schema; content?: Record<string, { schema: Schema }> }>(doc, p);
      const schema = param.schema ?? param.content?.['application/json']?.schema;
      return { name: param.name, in: param.in, required: param.required ?? false, schema: describeSchema(doc, schema, 1) };
    });
    const body = resolveRef<{ required?: boolean; content?: Record<string, { schema: Schema }> } | undefined>(doc, operation.requestBody);
    const responses = Object.fromEntries(
      Object.entries(operation.responses).map(([status, r]) => {
        const response = resolveRef<{ content?: Record<string, { schema: Schema }>; headers?: Record<string, unknown> }>(doc, r);
        return [status, {
          headers: Object.keys(response.headers ?? {}),
          body: status.startsWith('2') ? describeSchema(doc, response.content?.['application/json']?.schema) : response.content ? 'json' : null,
        }];
      }),
    );
    return {
      operation: `${method.toUpperCase()} ${path} ${operationId}`,
      params,
      requestBody: body ? { required: body.required ?? false, schema: describeSchema(doc, body.content?.['application/json']?.schema) } : null,
      responses,
    };
  });
}

describe('public surface', () => {
  it('matches the committed snapshot', async () => {
    const text = `${JSON.stringify(surface(loadBundle()), null, 1)}\n`;
    await expect(text).toMatchFileSnapshot('./__snapshots__/surface.json');
  });
});
