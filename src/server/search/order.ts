/**
 * ORDER BY as EspoCRM's Order\Applier: default order from metadata, `orderBy` without `order` is ASC,
 * link fields order by the linked name, enums by option position, addresses by country/city/street,
 * and `id` in the same direction breaks ties so paging is stable.
 */
import { sql } from 'kysely';
import { caseless, type Engine } from '../db/dialect.js';
import { BadRequest } from '../core/errors.js';
import type { AttributeDefs, EntityMeta, FieldDefs } from '../metadata/index.js';
import { scalarExpression } from '../read/expressions.js';
import type { SortOrder } from './search-params.js';
import { column, type Expr } from '../db/sql-conditions.js';

export interface OrderItem {
  readonly expr: Expr;
  readonly direction: SortOrder;
}

/** The field or attribute a list is ordered by (for select: its attributes are always returned). */
export function effectiveOrderBy(meta: EntityMeta, orderBy: string | null): string {
  return orderBy ?? meta.collection.orderBy;
}

export function resolveOrder(meta: EntityMeta, engine: Engine, orderBy: string | null, order: SortOrder | null, alias: string): OrderItem[] {
  if (orderBy !== null) checkOrderBy(meta, orderBy);
  const name = effectiveOrderBy(meta, orderBy);
  const direction: SortOrder = order ?? (orderBy === null ? meta.collection.order : 'asc');
  const items = orderItems(meta, engine, name, direction, alias);
  return name === 'id' ? items : [...items, { expr: column(alias, 'id'), direction }];
}

function checkOrderBy(meta: EntityMeta, orderBy: string) {
  if (orderBy.includes('.') || orderBy.includes(':')) {
    throw new BadRequest("Complex expressions are forbidden in 'orderBy'.");
  }
  const field = meta.fields.get(orderBy);
  if (field?.orderDisabled) {
    throw new BadRequest(`Order by the field '${orderBy}' is disabled.`);
  }
  if (field?.internal || field?.type === 'password') {
    throw new BadRequest(`Order by field '${orderBy}' is not allowed.`);
  }
}

function orderItems(meta: EntityMeta, engine: Engine, name: string, direction: SortOrder, alias: string): OrderItem[] {
  const field = meta.fields.get(name);
  const fieldItems = field ? fieldOrder(meta, engine, name, field, direction, alias) : null;
  if (fieldItems) return fieldItems;
  const attribute = meta.attributes.get(name);
  const expr = attribute ? attributeOrderExpression(meta, engine, attribute, alias) : null;
  if (!expr) {
    throw new BadRequest(`Order by non-existing field '${name}'.`);
  }
  return [{ expr, direction }];
}

/** Field-specific orderings; null when the field orders by its own attribute. */
function fieldOrder(meta: EntityMeta, engine: Engine, name: string, field: FieldDefs, direction: SortOrder, alias: string): OrderItem[] | null {
  const byAttribute = (attributeName: string): OrderItem[] => {
    const attribute = meta.attributes.get(attributeName);
    const expr = attribute ? attributeOrderExpression(meta, engine, attribute, alias) : null;
    return expr ? [{ expr, direction }] : [];
  };
  switch (field.type) {
    case 'link':
    case 'file':
    case 'linkOne':
      return byAttribute(`${name}Name`);
    case 'linkParent':
      return byAttribute(`${name}Type`);
    case 'enum':
      return field.options ? enumPosition(engine, column(alias, name), field, direction) : null;
    case 'address':
      return ['Country', 'City', 'Street'].flatMap((part) => byAttribute(`${name}${part}`));
    case 'personName':
      return [...byAttribute('firstName'), ...byAttribute('lastName')];
    default:
      return null;
  }
}

/**
 * Position in the option list (EspoCRM: POSITION_IN_LIST over the reversed list, DESC), so '' comes
 * first ascending, then the options in order, and values outside the list (null) last either way.
 * `isSorted` lists are ordered alphabetically first.
 */
function enumPosition(engine: Engine, expr: Expr, field: FieldDefs, direction: SortOrder): OrderItem[] {
  const options = field.isSorted ? [...(field.options ?? [])].sort() : [...(field.options ?? [])];
  if (isCaselessAscending(options)) {
    // Same order as the column itself (Account type and industry): sort by the column, which is far
    // cheaper than a CASE over every option, with NULLs last as the position order has them.
    return [
      { expr: sql`(case when ${expr} is null then 1 else 0 end)`, direction: 'asc' },
      { expr: caseless(engine, expr), direction },
    ];
  }
  const list = direction === 'desc' ? options.reverse() : options;
  const branches = list.map((option, index) => sql`when ${expr} = ${option} then ${list.length - index}`);
  return [{ expr: sql`(case ${sql.join(branches, sql` `)} else 0 end)`, direction: 'desc' }];
}

function isCaselessAscending(options: readonly string[]): boolean {
  return options.every((option, index) => index === 0 || options[index - 1]!.toLowerCase() < option.toLowerCase());
}

/** Null for attributes that cannot be ordered by (lists, stream data). */
function attributeOrderExpression(meta: EntityMeta, engine: Engine, attribute: AttributeDefs, alias: string): Expr | null {
  if (!attribute.orderable) return null;
  if (attribute.kind === 'primaryEmail' || attribute.kind === 'primaryPhone') {
    return primaryAddressExpression(meta, attribute.kind === 'primaryEmail', alias);
  }
  const expr = scalarExpression(meta, attribute, alias);
  if (!expr) return null;
  return attribute.caseless ? caseless(engine, expr) : expr;
}

/** EspoCRM orders email fields by the primary address's `lower`, phone fields by the primary number. */
function primaryAddressExpression(meta: EntityMeta, email: boolean, alias: string): Expr {
  const [link, point, key, value] = email
    ? ['entity_email_address', 'email_address', 'emailAddressId', 'lower']
    : ['entity_phone_number', 'phone_number', 'phoneNumberId', 'name'];
  return sql`(select ${sql.ref(`p.${value}`)} from ${sql.table(link)} as l inner join ${sql.table(point)} as p on ${sql.ref('p.id')} = ${sql.ref(`l.${key}`)}
    where ${sql.ref('l.entityId')} = ${column(alias, 'id')} and ${sql.ref('l.entityType')} = ${sql.lit(meta.entityType)} and ${sql.ref('l.primary')} = 1 and ${sql.ref('l.deleted')} = 0)`;
}
