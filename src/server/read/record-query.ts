/**
 * The read model as SQL: every attribute of a record that lives outside its row (names of linked records,
 * email addresses, phone numbers, link-multiple ids and names, followers, stars) becomes one correlated
 * subquery in the select list, so a record, or a page of them, is read with one statement instead of one
 * per kind of attribute. Lists are aggregated to JSON in the database (SQLite `json_group_array`,
 * PostgreSQL `json_agg`), each with the ORDER BY the former per-kind queries had.
 *
 * A shape (entity, attributes, engine, whether followers are visible) is built once and reused; the acting
 * user enters the SQL as a placeholder parameter (`USER_SLOT`) that `bindSlots` replaces per request, so
 * a statement compiled once serves every user.
 */
import { CompiledQuery, sql, type Expression, type RawBuilder } from 'kysely';
import type { Engine } from '../db/dialect.js';
import type { Row } from '../db/dynamic.js';
import { column } from '../db/sql-conditions.js';
import { entityTypes, getEntity, hasEntity, type AttributeDefs, type EntityMeta } from '../metadata/index.js';
import type { ManyManyLink } from '../metadata/types.js';
import { nameExpression, personNameOf } from './names.js';
import { fromColumn, type RecordData } from './values.js';

/** Followers returned on read (EspoCRM config `recordFollowersLoadLimit`). */
const FOLLOWERS_LIMIT = 6;

/**
 * Parameter values standing for per-request values in a compiled statement. They hold a NUL, which no
 * request value can (http/input-guard.ts refuses it), so they never collide with a real parameter.
 */
export const USER_SLOT = '\u0000slot:user';
export const ID_SLOT = '\u0000slot:id';

/** Replaces the slot placeholders among a compiled statement's parameters. */
export function bindSlots(compiled: CompiledQuery, values: Readonly<Record<string, unknown>>): CompiledQuery {
  let changed = false;
  const parameters = compiled.parameters.map((parameter) => {
    if (typeof parameter === 'string' && parameter in values) {
      changed = true;
      return values[parameter];
    }
    return parameter;
  });
  return changed ? { ...compiled, parameters } : compiled;
}

export interface RecordShape {
  /** Stored columns the row must hold (selected as themselves). */
  readonly columns: readonly string[];
  /** Values computed by the database, each selected under its alias; empty when the row is enough. */
  readonly computed: readonly { readonly alias: string; readonly expr: Expression<unknown> }[];
  /** The API record (attributes in metadata order) from a row holding `columns` and the computed aliases. */
  toRecord(row: Row): RecordData;
}

type Build = (row: Row) => unknown;

const shapes = new Map<string, RecordShape>();

/**
 * The shape of records with exactly `attributes` (in metadata order) of `meta`, whose computed values refer
 * to the row as `alias`. `followersVisible`: the user may read the entity's stream (else followers are empty).
 */
export function recordShape(meta: EntityMeta, attributes: readonly string[], engine: Engine, alias: string, followersVisible: boolean): RecordShape {
  // A frozen list (the read shape's) is looked up by identity, skipping the key of every attribute name.
  const byList = Object.isFrozen(attributes) ? shapesByList.get(attributes) : undefined;
  const listKey = `${meta.entityType}\0${engine}\0${alias}\0${followersVisible ? 1 : 0}`;
  const known = byList?.get(listKey);
  if (known) return known;
  const key = `${listKey}\0${attributes.join(',')}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = buildShape(meta, attributes, engine, alias, followersVisible);
    if (shapes.size > 1000) shapes.clear();
    shapes.set(key, shape);
  }
  if (Object.isFrozen(attributes)) {
    if (!shapesByList.has(attributes)) shapesByList.set(attributes, new Map());
    shapesByList.get(attributes)!.set(listKey, shape);
  }
  return shape;
}

const shapesByList = new WeakMap<readonly string[], Map<string, RecordShape>>();

function buildShape(meta: EntityMeta, attributes: readonly string[], engine: Engine, alias: string, followersVisible: boolean): RecordShape {
  const wanted = new Set(attributes);
  const ordered = [...meta.attributes.values()].filter((attribute) => wanted.has(attribute.name));
  const columns = new Set<string>(['id']);
  const computed: { alias: string; expr: Expression<unknown> }[] = [];
  /** One computed value per key (several attributes read the same list). */
  const computedAlias = new Map<string, string>();
  const compute = (id: string, expr: () => Expression<unknown>): string => {
    let name = computedAlias.get(id);
    if (!name) {
      name = `_c${computed.length}`;
      computed.push({ alias: name, expr: expr() });
      computedAlias.set(id, name);
    }
    return name;
  };
  const main = (name: string) => column(alias, name);
  const fields: [string, Build][] = [];

  for (const attribute of ordered) {
    fields.push([attribute.name, builder(attribute)]);
  }

  function builder(attribute: AttributeDefs): Build {
    const { name } = attribute;
    switch (attribute.kind) {
      case 'column':
        columns.add(name);
        return (row) => fromColumn(attribute, row[name]);
      case 'personName':
        columns.add('firstName');
        columns.add('lastName');
        return (row) => personNameOf(row.firstName, row.lastName);
      case 'foreignName': {
        const link = meta.links[attribute.link ?? ''];
        const key = link?.type === 'belongsTo' ? link.key : `${attribute.field}Id`;
        const entityType = link && link.type !== 'belongsToParent' ? link.entity : meta.fields.get(attribute.field)?.entity;
        columns.add(key);
        if (!entityType || !hasEntity(entityType)) return () => null;
        const computedName = compute(`name:${name}`, () => nameLookup(entityType, main(key)));
        return (row) => row[computedName] ?? null;
      }
      case 'parentName': {
        columns.add(`${attribute.field}Id`);
        columns.add(`${attribute.field}Type`);
        // Any known entity type names the parent, whatever the field's entity list says.
        const computedName = compute(`name:${name}`, () => {
          const branches = entityTypes.map((entityType) => sql`when ${sql.lit(entityType)} then ${nameLookup(entityType, main(`${attribute.field}Id`))}`);
          return sql`(case ${main(`${attribute.field}Type`)} ${sql.join(branches, sql` `)} else null end)`;
        });
        return (row) => row[computedName] ?? null;
      }
      case 'primaryEmail':
      case 'emailFlag':
      case 'emailData':
        return pointBuilder(attribute, 'email');
      case 'primaryPhone':
      case 'phoneFlag':
      case 'phoneData':
        return pointBuilder(attribute, 'phone');
      case 'linkMultipleIds':
      case 'linkMultipleNames': {
        const link = meta.links[attribute.field] as ManyManyLink;
        const computedName = compute(`links:${attribute.field}`, () => linkedList(engine, link, main('id')));
        if (attribute.kind === 'linkMultipleIds') return (row) => pairs(row[computedName]).map(([id]) => id);
        return (row) => Object.fromEntries(pairs(row[computedName]));
      }
      case 'linkOneId':
      case 'linkOneName':
        return () => null;
      case 'isFollowed': {
        const computedName = compute('isFollowed', () => sql`exists (select 1 from ${sql.table('stream_subscription')} as fs inner join ${sql.table('user')} as fu on ${sql.ref('fu.id')} = ${sql.ref('fs.userId')} where ${sql.ref('fs.entityType')} = ${sql.lit(meta.entityType)} and ${sql.ref('fs.entityId')} = ${main('id')} and ${sql.ref('fs.userId')} = ${USER_SLOT} and ${sql.ref('fu.deleted')} = 0)`);
        return (row) => truthy(row[computedName]);
      }
      case 'followersIds':
      case 'followersNames': {
        if (!followersVisible) return attribute.kind === 'followersIds' ? () => [] : () => ({});
        const computedName = compute('followers', () => followersList(engine, meta.entityType, main('id')));
        if (attribute.kind === 'followersIds') return (row) => pairs(row[computedName]).map(([id]) => id);
        return (row) => Object.fromEntries(pairs(row[computedName]));
      }
      case 'isStarred': {
        const computedName = compute('isStarred', () => sql`exists (select 1 from ${sql.table('star_subscription')} as st where ${sql.ref('st.userId')} = ${USER_SLOT} and ${sql.ref('st.entityType')} = ${sql.lit(meta.entityType)} and ${sql.ref('st.entityId')} = ${main('id')})`);
        return (row) => truthy(row[computedName]);
      }
      default:
        return () => null;
    }
  }

  /**
   * `…Data` (read) aggregates every address, primary first then by address; without it (lists) only the
   * primary one is read. `…IsOptedOut` / `…IsInvalid` are null without a primary address (checked live on
   * 9.2.7).
   */
  function pointBuilder(attribute: AttributeDefs, kind: 'email' | 'phone'): Build {
    const dataKind = kind === 'email' ? 'emailData' : 'phoneData';
    const withData = ordered.some((other) => other.kind === dataKind);
    const all = withData ? compute(`points:${kind}`, () => pointList(engine, kind, meta.entityType, main('id'))) : undefined;
    const primary = withData ? undefined : compute(`primary:${kind}`, () => primaryPoint(engine, kind, meta.entityType, main('id')));
    if (attribute.kind === dataKind) {
      return (row) => pointItems(kind, row[all!]);
    }
    return (row) => {
      let point: unknown[] | null;
      if (all) {
        // [value, optOut, invalid, primary] (email) or [value, type, optOut, invalid, primary] (phone)
        const found = jsonList(row[all]).find((item) => item[item.length - 1] === 1);
        point = found ? (kind === 'email' ? found.slice(0, 3) : [found[0], found[2], found[3]]) : null;
      } else {
        point = jsonValue(row[primary!]) as unknown[] | null;
      }
      if (!point) return null;
      if (attribute.kind === 'primaryEmail' || attribute.kind === 'primaryPhone') return point[0];
      return attribute.flag === 'optOut' ? point[1] === 1 : point[2] === 1;
    };
  }

  return {
    columns: [...columns],
    computed,
    toRecord(row) {
      const record: RecordData = {};
      for (const [name, build] of fields) record[name] = build(row) ?? null;
      return record;
    },
  };
}

function truthy(value: unknown): boolean {
  return value === true || Number(value) === 1;
}

/** A JSON value as SQLite (text) or PostgreSQL (already parsed) returns it. */
function jsonValue(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : (value ?? null);
}

function jsonList(value: unknown): unknown[][] {
  return (jsonValue(value) as unknown[][] | null) ?? [];
}

function pairs(value: unknown): [string, unknown][] {
  return jsonList(value) as [string, unknown][];
}

function pointItems(kind: 'email' | 'phone', value: unknown): RecordData[] {
  return jsonList(value).map((item) =>
    kind === 'email'
      ? { emailAddress: item[0], lower: String(item[0]).toLowerCase(), primary: item[3] === 1, optOut: item[1] === 1, invalid: item[2] === 1 }
      : { phoneNumber: item[0], type: item[1] ?? null, primary: item[4] === 1, optOut: item[2] === 1, invalid: item[3] === 1 },
  );
}

/** JSON array of JSON arrays of `items`, aggregated in `order`. */
function aggregate(engine: Engine, items: readonly Expression<unknown>[], order: RawBuilder<unknown>): RawBuilder<unknown> {
  return engine === 'postgres'
    ? sql`json_agg(json_build_array(${sql.join(items)}) order by ${order})`
    : sql`json_group_array(json_array(${sql.join(items)}) order by ${order})`;
}

function jsonArray(engine: Engine, items: readonly Expression<unknown>[]): RawBuilder<unknown> {
  return engine === 'postgres' ? sql`json_build_array(${sql.join(items)})` : sql`json_array(${sql.join(items)})`;
}

/** Name of a record of `entityType` by id; null when it does not exist or is deleted. */
function nameLookup(entityType: string, id: Expression<unknown>): RawBuilder<unknown> {
  const foreign = getEntity(entityType);
  return sql`(select ${nameExpression(foreign, 'nf')} from ${sql.table(foreign.table)} as nf where ${sql.ref('nf.id')} = ${id} and ${sql.ref('nf.deleted')} = 0)`;
}

const POINTS = {
  email: { table: 'email_address', linkTable: 'entity_email_address', foreignKey: 'emailAddressId' },
  phone: { table: 'phone_number', linkTable: 'entity_phone_number', foreignKey: 'phoneNumberId' },
} as const;

function pointFrom(kind: 'email' | 'phone', entityType: string, id: Expression<unknown>): RawBuilder<unknown> {
  const spec = POINTS[kind];
  return sql`from ${sql.table(spec.linkTable)} as pl inner join ${sql.table(spec.table)} as pp on ${sql.ref('pp.id')} = ${sql.ref(`pl.${spec.foreignKey}`)} where ${sql.ref('pl.entityType')} = ${sql.lit(entityType)} and ${sql.ref('pl.entityId')} = ${id} and ${sql.ref('pl.deleted')} = 0 and ${sql.ref('pp.deleted')} = 0`;
}

function pointItemColumns(kind: 'email' | 'phone'): Expression<unknown>[] {
  return kind === 'email'
    ? [sql.ref('pp.name'), sql.ref('pp.optOut'), sql.ref('pp.invalid'), sql.ref('pl.primary')]
    : [sql.ref('pp.name'), sql.ref('pp.type'), sql.ref('pp.optOut'), sql.ref('pp.invalid'), sql.ref('pl.primary')];
}

/** Every address of the record, primary first, then by address. */
function pointList(engine: Engine, kind: 'email' | 'phone', entityType: string, id: Expression<unknown>): RawBuilder<unknown> {
  return sql`(select ${aggregate(engine, pointItemColumns(kind), sql`${sql.ref('pl.primary')} desc, ${sql.ref('pp.name')}`)} ${pointFrom(kind, entityType, id)})`;
}

/** `[value, optOut, invalid]` of the primary address, or null. */
function primaryPoint(engine: Engine, kind: 'email' | 'phone', entityType: string, id: Expression<unknown>): RawBuilder<unknown> {
  const items = [sql.ref('pp.name'), sql.ref('pp.optOut'), sql.ref('pp.invalid')];
  return sql`(select ${jsonArray(engine, items)} ${pointFrom(kind, entityType, id)} and ${sql.ref('pl.primary')} = 1 limit 1)`;
}

/** `[[id, name], …]` of the records linked through a many-to-many link, by name then id. */
function linkedList(engine: Engine, link: ManyManyLink, id: Expression<unknown>): RawBuilder<unknown> {
  const foreign = getEntity(link.entity);
  const name = nameExpression(foreign, 'lf');
  const conditions = Object.entries(link.conditions ?? {}).map(([columnName, value]) => sql` and ${sql.ref(`lm.${columnName}`)} = ${sql.lit(value)}`);
  const extra = conditions.length > 0 ? sql.join(conditions, sql``) : sql``;
  return sql`(select ${aggregate(engine, [sql.ref('lf.id'), name], sql`${name}, ${sql.ref('lf.id')}`)} from ${sql.table(link.middleTable)} as lm inner join ${sql.table(foreign.table)} as lf on ${sql.ref('lf.id')} = ${sql.ref(`lm.${link.farKey}`)} where ${sql.ref(`lm.${link.nearKey}`)} = ${id} and ${sql.ref('lm.deleted')} = 0 and ${sql.ref('lf.deleted')} = 0${extra})`;
}

/** `[[id, name], …]` of the first followers by name then id. */
function followersList(engine: Engine, entityType: string, id: Expression<unknown>): RawBuilder<unknown> {
  const name = nameExpression(getEntity('User'), 'fu');
  return sql`(select ${aggregate(engine, [sql.ref('fl.id'), sql.ref('fl.name')], sql`${sql.ref('fl.name')}, ${sql.ref('fl.id')}`)} from (select ${sql.ref('fu.id')} as ${sql.ref('id')}, ${name} as ${sql.ref('name')} from ${sql.table('stream_subscription')} as fs inner join ${sql.table('user')} as fu on ${sql.ref('fu.id')} = ${sql.ref('fs.userId')} where ${sql.ref('fs.entityType')} = ${sql.lit(entityType)} and ${sql.ref('fs.entityId')} = ${id} and ${sql.ref('fu.deleted')} = 0 order by ${name}, ${sql.ref('fu.id')} limit ${sql.lit(FOLLOWERS_LIMIT)}) as fl)`;
}
