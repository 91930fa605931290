import { describe, expect, it } from 'vitest';
import { Document } from 'yaml';
import { toOpenApi30 } from '../../src/tools/down-convert.js';
import { flattenComposedSchemas } from '../../src/tools/flatten-schemas.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('flattenComposedSchemas (ADR-009A rule 2)', () => {
  const doc = () =>
    new Document({
      components: {
        schemas: {
          Base: { type: 'object', title: 'Base', properties: { id: { type: 'string' }, n: { type: 'integer' } } },
          Extra: { type: 'object', properties: { id: { type: 'string' }, flag: { type: 'boolean' } } },
          Read: { title: 'Read', description: 'd', allOf: [ref('Base'), ref('Extra'), { type: 'object', properties: { more: { type: 'string' } } }], required: ['id', 'n'] },
          Clash: { allOf: [ref('Base'), { type: 'object', properties: { n: { type: 'string' } } }], required: ['n'] },
          User: { type: 'object', properties: { base: ref('Base') } },
          Loose: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, flag: { type: ['boolean', 'null'], description: 'f' }, gone: { type: 'string', description: 'g' } } },
          Narrow: { allOf: [ref('Loose')], required: ['flag'], properties: { flag: { type: 'boolean' }, gone: { not: {} } } },
        },
      },
    });

  it('writes plain compositions out flat, merges identical duplicates and removes parts nobody references', () => {
    const d = doc();
    const result = flattenComposedSchemas(d);
    const schemas = (d.toJS() as { components: { schemas: Record<string, unknown> } }).components.schemas;
    expect(result.flattened).toEqual(['Read', 'Narrow']);
    expect(schemas['Read']).toEqual({
      type: 'object',
      title: 'Read',
      description: 'd',
      required: ['id', 'n'],
      properties: { id: { type: 'string' }, n: { type: 'integer' }, flag: { type: 'boolean' }, more: { type: 'string' } },
    });
    // A property narrowed by the outer schema (a type it allows, or forbidden): both hold in the flat form;
    // every part's required names are kept.
    expect(schemas['Narrow']).toEqual({
      type: 'object',
      required: ['id', 'flag'],
      properties: { id: { type: 'string' }, flag: { type: 'boolean', description: 'f' }, gone: { type: 'string', description: 'g', not: {} } },
    });
    // Different schemas for the same property need both: the composition stays.
    expect(result.kept).toEqual(['Clash']);
    expect(result.removed).toEqual(['Extra', 'Loose']);
    expect(schemas['Base']).toBeDefined(); // still referenced by Clash and User
  });
});

describe('toOpenApi30 (ADR-009C)', () => {
  const source = {
    openapi: '3.1.0',
    info: { title: 't', version: '1', summary: 'Short.', description: 'Long.', license: { name: 'MIT', identifier: 'MIT' } },
    paths: {
      '/A': {
        get: {
          parameters: [{ name: 'searchParams', in: 'query', description: 'JSON.', schema: { type: 'string', contentMediaType: 'application/json', contentSchema: ref('S') } }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: {
        S: { type: 'object' },
        E: { type: 'string', const: '' },
        T: { anyOf: [{ type: 'string', enum: ['A', 'B'] }, ref('E'), { type: 'null' }] },
        P: { anyOf: [ref('S'), { type: 'null' }] },
        N: { type: ['string', 'null'], examples: ['x', 'y'] },
      },
    },
  };

  it('rewrites what 3.0 cannot say and keeps the rest', () => {
    // (JSON round trip: the converter tags $ref objects with a symbol, which toEqual compares.)
    const out = JSON.parse(JSON.stringify(toOpenApi30(source))) as typeof source & { components: { schemas: Record<string, Record<string, unknown>> } };
    expect(out.openapi).toBe('3.0.3');
    expect(out.info).toEqual({ title: 't', version: '1', description: 'Short.\n\nLong.', license: { name: 'MIT' } });
    const s = out.components.schemas;
    expect(s['E']).toEqual({ type: 'string', maxLength: 0 });
    expect(s['T']).toEqual({ anyOf: [{ type: 'string', enum: ['A', 'B'] }, ref('E')], nullable: true });
    expect(s['P']).toEqual({ allOf: [ref('S')], nullable: true });
    expect(s['N']).toEqual({ type: 'string', nullable: true, example: 'x' });
    const parameter = out.paths['/A'].get.parameters[0]!;
    expect(parameter.schema).toEqual({ type: 'string' });
    expect(parameter.description).toMatch(/a string holding JSON that matches the `S` schema/);
    expect(JSON.stringify(source)).toContain('contentSchema'); // the input is not changed
  });
});
