/**
 * Writes composed object schemas out flat in the bundle (docs/decisions.md, ADR-009A, rule 2).
 *
 * The source composes read and create schemas from parts (`allOf: [AccountAttributes,
 * AccountReadOnlyAttributes]` + an outer `required`), which keeps one definition per attribute. Inheriting
 * generators turn that into a subclass that re-declares the required properties with other types (the Java
 * client got `int getVersionNumber()` against an inherited `Integer` and did not compile). The bundle
 * therefore carries each such schema as one object: the properties of every part in order, plus the outer
 * `title`, `description` and the union of every `required`. For plain object parts (no
 * `additionalProperties` or composition keywords of their own besides a nested `allOf` of the same kind)
 * this validates exactly the same instances. A property declared twice must hold both declarations; that
 * is written out flat when one is the other narrowed (`narrowed`), otherwise the schema is left alone and
 * reported, so the lint rule names it.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Document } from 'yaml';
import { isMap } from 'yaml';

type Json = Record<string, unknown>;

const PART_KEYS = new Set(['type', 'title', 'description', 'properties', 'allOf', 'required']);
const OUTER_KEYS = new Set(['type', 'title', 'description', 'properties', 'allOf', 'required']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveLocal(schemas: Json, node: Json): Json | undefined {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  const target = match ? schemas[match[1]!] : undefined;
  return isObject(target) ? target : undefined;
}

function typesOf(schema: Json): string[] | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) && type.every((t) => typeof t === 'string') ? (type as string[]) : undefined;
}

/**
 * One schema for a property that must satisfy both `a` and `b`, when `b` only narrows `a`: `b` forbids the
 * property (`not: {}`), or `b` states nothing but a `type` whose members `a` allows. Otherwise undefined.
 */
function narrowed(a: Json, b: Json): Json | undefined {
  const keys = Object.keys(b).filter((k) => k !== 'description');
  if (keys.length === 1 && keys[0] === 'not' && isDeepStrictEqual(b['not'], {})) {
    // Forbidden: nothing validates, but the attribute's type stays for generators that need one.
    return { ...a, ...(b['description'] === undefined ? {} : { description: b['description'] }), not: {} };
  }
  const inner = typesOf(b);
  const outer = typesOf(a);
  if (keys.length === 1 && keys[0] === 'type' && inner && outer && inner.every((t) => outer.includes(t))) return { ...a, ...b };
  return undefined;
}

interface Merged {
  properties: Json;
  required: string[];
}

/** The properties and required names of a composed schema, merged in order; undefined when it is not a plain composition. */
function mergedProperties(schemas: Json, schema: Json, seen: Set<Json>, allowed: Set<string>): Merged | undefined {
  if (seen.has(schema)) return undefined;
  if (Object.keys(schema).some((k) => !allowed.has(k))) return undefined;
  if (schema['type'] !== undefined && schema['type'] !== 'object') return undefined;
  const out: Json = {};
  const required: string[] = [];
  const addRequired = (names: unknown): boolean => {
    if (names === undefined) return true;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return false;
    for (const name of names as string[]) if (!required.includes(name)) required.push(name);
    return true;
  };
  const add = (props: unknown): boolean => {
    if (props === undefined) return true;
    if (!isObject(props)) return false;
    for (const [name, value] of Object.entries(props)) {
      if (!(name in out) || isDeepStrictEqual(out[name], value)) {
        out[name] ??= value;
        continue;
      }
      // The same attribute in two places must hold both: flat only when one narrows the other.
      const both = isObject(out[name]) && isObject(value) ? narrowed(out[name] as Json, value) : undefined;
      if (!both) return false;
      out[name] = both;
    }
    return true;
  };
  const parts = schema['allOf'];
  if (parts !== undefined) {
    if (!Array.isArray(parts)) return undefined;
    for (const part of parts) {
      const resolved = isObject(part) ? resolveLocal(schemas, part) : undefined;
      if (!resolved) return undefined;
      const merged = mergedProperties(schemas, resolved, new Set([...seen, schema]), PART_KEYS);
      if (!merged || !add(merged.properties) || !addRequired(merged.required)) return undefined;
    }
  }
  return add(schema['properties']) && addRequired(schema['required']) ? { properties: out, required } : undefined;
}

export interface FlattenResult {
  flattened: string[];
  /** Composed schemas left as they are, with the reason. */
  kept: string[];
  /** Parts that nothing references any more, removed from the bundle. */
  removed: string[];
  parts: Set<string>;
}

/** Flattens `components.schemas` entries that have `allOf` in place; returns what it did. */
export function flattenComposedSchemas(doc: Document): FlattenResult {
  const plain = doc.toJS() as Json;
  const schemas = (isObject(plain['components']) && isObject((plain['components'] as Json)['schemas'])
    ? (plain['components'] as Json)['schemas']
    : {}) as Json;
  const result: FlattenResult = { flattened: [], kept: [], removed: [], parts: new Set() };
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || !Array.isArray(schema['allOf'])) continue;
    const merged = mergedProperties(schemas, schema, new Set(), OUTER_KEYS);
    if (!merged) {
      result.kept.push(name);
      continue;
    }
    for (const part of schema['allOf'] as unknown[]) {
      const ref = isObject(part) ? part['$ref'] : undefined;
      if (typeof ref === 'string') result.parts.add(ref.split('/').pop()!);
    }
    const flat: Json = { type: 'object' };
    if (schema['title'] !== undefined) flat['title'] = schema['title'];
    if (schema['description'] !== undefined) flat['description'] = schema['description'];
    if (merged.required.length) flat['required'] = merged.required;
    flat['properties'] = merged.properties;
    const target = doc.getIn(['components', 'schemas']);
    if (!isMap(target)) throw new Error('components.schemas is not a map');
    doc.setIn(['components', 'schemas', name], doc.createNode(flat, { aliasDuplicateObjects: false }));
    result.flattened.push(name);
  }
  result.removed = removeUnreferencedParts(doc, result.parts);
  return result;
}

/** Parts no longer referenced after flattening leave the bundle (they would be unused components). */
function removeUnreferencedParts(doc: Document, parts: Set<string>): string[] {
  const removed: string[] = [];
  for (;;) {
    const text = JSON.stringify(doc.toJS());
    const unused = [...parts].filter((name) => !removed.includes(name) && !text.includes(`"#/components/schemas/${name}"`));
    if (!unused.length) return removed;
    for (const name of unused) {
      doc.deleteIn(['components', 'schemas', name]);
      removed.push(name);
    }
  }
}
