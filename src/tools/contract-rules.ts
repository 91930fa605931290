/**
 * Modelling rules that keep the bundle usable by code generators (docs/decisions.md, ADR-009A). Every rule
 * comes from a generator that failed on the construct; linters accept all of them, hence these checks.
 *
 *   1. enum-no-empty-or-null: no `''` or `null` member in an `enum` (openapi-typescript-codegen: TS1132 on
 *      `''`; openapi-zod-client: `z.enum([..., null])` fails tsc). Model "not set" as separate `anyOf`
 *      branches (`$ref: EmptyString`, `type: 'null'`).
 *   2. flat-composition: no `allOf` next to `required` or `properties` (java-jaxrs: a subclass re-declares
 *      the required properties with primitive types and does not compile). The bundle writes them flat.
 *   3. header-string: header parameters are strings (kubb typed X-Version-Number as a number, TS2322); a
 *      number is declared `type: string` + `pattern`.
 *   4. component-names-unique: one name per component across schemas and parameters
 *      (openapi-typescript-codegen exports both under the same name: TS2300).
 *   5. server-variable-no-description: no `description` on a server variable: @apidevtools/swagger-parser's
 *      3.1 schema misspells the key (`descriptions`) and rejects the document ("unevaluated properties").
 */
type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface RuleViolation {
  rule: string;
  at: string;
  message: string;
}

function walk(node: unknown, at: string, visit: (node: Json, at: string) => void): void {
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`, visit));
  else if (isObject(node)) {
    visit(node, at);
    for (const [key, value] of Object.entries(node)) walk(value, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, visit);
  }
}

function resolveSchema(doc: Json, schema: unknown): unknown {
  const ref = isObject(schema) ? schema['$ref'] : undefined;
  if (typeof ref !== 'string') return schema;
  const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
  const components = isObject(doc['components']) ? doc['components'] : {};
  return name && isObject(components['schemas']) ? components['schemas'][name] : schema;
}

export function checkContractRules(doc: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  walk(doc, '#', (node, at) => {
    const members = node['enum'];
    if (Array.isArray(members) && members.some((m) => m === '' || m === null)) {
      out.push({ rule: 'enum-no-empty-or-null', at, message: "enum contains '' or null: model \"not set\" as separate anyOf branches (EmptyString, type: 'null')" });
    }
    if (Array.isArray(node['allOf']) && ('required' in node || 'properties' in node)) {
      out.push({ rule: 'flat-composition', at, message: 'allOf next to required/properties: write the schema out flat (src/tools/flatten-schemas.ts)' });
    }
    if (node['in'] === 'header') {
      const schema = resolveSchema(doc, node['schema']);
      if (isObject(schema) && schema['type'] !== 'string') {
        out.push({ rule: 'header-string', at, message: `header parameter ${String(node['name'])} must be type: string (with a pattern for numbers)` });
      }
    }
  });
  const components = isObject(doc['components']) ? doc['components'] : {};
  const schemaNames = new Set(Object.keys(isObject(components['schemas']) ? components['schemas'] : {}));
  for (const name of Object.keys(isObject(components['parameters']) ? components['parameters'] : {})) {
    if (schemaNames.has(name)) {
      out.push({ rule: 'component-names-unique', at: `#/components/parameters/${name}`, message: `a schema is also named ${name}` });
    }
  }
  const servers = Array.isArray(doc['servers']) ? doc['servers'] : [];
  servers.forEach((server, i) => {
    const variables = isObject(server) && isObject(server['variables']) ? server['variables'] : {};
    for (const [name, variable] of Object.entries(variables)) {
      if (isObject(variable) && 'description' in variable) {
        out.push({ rule: 'server-variable-no-description', at: `#/servers/${i}/variables/${name}`, message: 'describe the variable in the server description instead' });
      }
    }
  });
  return out;
}
