import { describe, expect, it } from 'vitest';
import { listOperations, loadBundle, resolveRef } from '../../src/spec/bundle.js';
import { SpecSchemas } from '../../src/spec/schema-validator.js';

interface MediaType {
  schema?: object;
  examples?: Record<string, unknown>;
}

const doc = loadBundle();
const schemas = new SpecSchemas(doc);

/** Every named example of a request or response body, with the schema it must satisfy. */
function bodyExamples() {
  const cases: { name: string; schema: object; value: unknown }[] = [];
  for (const { operationId, operation } of listOperations(doc)) {
    const bodies: [string, unknown][] = [['request', operation.requestBody]];
    for (const [status, response] of Object.entries(operation.responses)) bodies.push([status, response]);
    for (const [where, node] of bodies) {
      const media = resolveRef<{ content?: Record<string, MediaType> }>(doc, node)?.content?.['application/json'];
      for (const [exampleName, example] of Object.entries(media?.examples ?? {})) {
        const value = resolveRef<{ value: unknown }>(doc, example).value;
        cases.push({ name: `${operationId} ${where} ${exampleName}`, schema: media?.schema ?? {}, value });
      }
    }
  }
  return cases;
}

describe('examples', () => {
  const cases = bodyExamples();

  it('exist for every request body and every 2xx response', () => {
    for (const { operationId, operation } of listOperations(doc)) {
      const names = cases.filter((c) => c.name.startsWith(`${operationId} `)).map((c) => c.name.split(' ')[1]);
      if (operation.requestBody) expect(names, operationId).toContain('request');
      expect(names, operationId).toContain('200');
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s validates against its schema', (_name, c) => {
    expect(schemas.validateSchema(c.schema, c.value)).toEqual([]);
  });

  it('catches an example that breaks its schema', () => {
    const account = cases.find((c) => c.name === 'getAccount 200 account');
    expect(account).toBeDefined();
    const broken = { ...(account!.value as object), name: 42 };
    expect(schemas.validateSchema(account!.schema, broken)).not.toEqual([]);
  });
});
