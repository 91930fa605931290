import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkContractRules } from '../../src/tools/contract-rules.js';
import { swaggerParser } from '../../src/tools/lint-extra.js';

const rulesOf = (doc: Record<string, unknown>) => checkContractRules(doc).map((v) => `${v.rule} ${v.at}`);

describe('modelling rules for code generators (src/tools/contract-rules.ts, ADR-009A)', () => {
  it('hold for the committed bundles', () => {
    for (const file of ['generated/openapi.yaml', 'generated/openapi-3.0.yaml']) {
      expect(rulesOf(parse(readFileSync(file, 'utf8')) as Record<string, unknown>), file).toEqual([]);
    }
  });

  it('flag each construct that broke a generator', () => {
    const doc = {
      openapi: '3.1.0',
      servers: [{ url: '{s}/api', variables: { s: { default: 'x', description: 'site' } } }],
      paths: {
        '/A': { get: { parameters: [{ name: 'X-N', in: 'header', schema: { type: 'integer' } }, { $ref: '#/components/parameters/Q' }] } },
      },
      components: {
        parameters: { Q: { name: 'q', in: 'query', schema: { type: 'string' } }, S: { name: 's', in: 'query', schema: { type: 'string' } } },
        schemas: {
          S: { type: 'string' },
          T: { type: ['string', 'null'], enum: ['', 'A', null] },
          U: { type: ['string', 'null'], enum: ['A', null] },
          V: { allOf: [{ $ref: '#/components/schemas/S' }], required: ['id'] },
          W: { anyOf: [{ type: 'string', enum: ['A'] }, { type: 'string', const: '' }, { type: 'null' }] },
        },
      },
    };
    expect(rulesOf(doc).sort()).toEqual(
      [
        'component-names-unique #/components/parameters/S',
        'enum-no-empty-or-null #/components/schemas/T',
        'enum-no-empty-or-null #/components/schemas/U',
        'flat-composition #/components/schemas/V',
        'header-string #/paths/~1A/get/parameters/0',
        'server-variable-no-description #/servers/0/variables/s',
      ].sort(),
    );
  });

  it('swagger-parser validates both committed bundles', { timeout: 60_000 }, async () => {
    for (const file of ['generated/openapi.yaml', 'generated/openapi-3.0.yaml']) {
      const step = await swaggerParser(file);
      expect(step.status, `${file}: ${step.output}`).toBe('ok');
    }
  });

  it('swagger-parser rejects a server variable with a description (why rule 5 exists)', { timeout: 60_000 }, async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'espo-rules-'));
    const file = join(dir, 'v.json');
    const doc = { openapi: '3.1.0', info: { title: 't', version: '1' }, servers: [{ url: '{s}/api', variables: { s: { default: 'x', description: 'site' } } }], paths: {} };
    writeFileSync(file, JSON.stringify(doc));
    const step = await swaggerParser(file);
    rmSync(dir, { recursive: true, force: true });
    expect(step.status).toBe('failed');
    expect(step.output).toMatch(/servers\/0\/variables\/s must NOT have unevaluated properties/);
  });
});
