/**
 * Conditions on email addresses and phone numbers, as EspoCRM's Email/Phone field converters define
 * them: sub-queries over entity_email_address / entity_phone_number. Equality and LIKE match ANY of
 * the record's addresses; the IsOptedOut/IsInvalid flags look at the primary one.
 */
import { sql } from 'kysely';
import { escapeLike, likeIgnoringCase } from '../db/dialect.js';
import { BadRequest } from '../core/errors.js';
import type { AttributeDefs } from '../metadata/index.js';
import { FALSE, idIn, not, TRUE, type Cond, type Expr } from '../db/sql-conditions.js';
import { listValue, type CompileContext, type WhereItem } from './where-item.js';
import { coerceScalar, type Scalar } from './where-values.js';

const TABLES = {
  email: { link: 'entity_email_address', point: 'email_address', key: 'emailAddressId' },
  phone: { link: 'entity_phone_number', point: 'phone_number', key: 'phoneNumberId' },
} as const;

type Kind = keyof typeof TABLES;

function kindOf(attribute: AttributeDefs): Kind {
  return attribute.kind === 'primaryEmail' || attribute.kind === 'emailFlag' ? 'email' : 'phone';
}

/** A condition on the addresses of a record, before choosing how to express it in SQL. */
interface Membership {
  readonly condition: Cond;
  readonly primaryOnly?: boolean;
  /** Records WITHOUT such an address. */
  readonly negate?: boolean;
}

/** Beyond this many matching addresses, a correlated EXISTS beats materialising an IN list. */
const IN_LIST_LIMIT = 1000;

/** Address rows of `entityType` records that satisfy the membership condition (aliases `l`, `p`). */
function addressRows(kind: Kind, entityType: string, m: Membership, select: Expr, extra: Cond = TRUE): Expr {
  const t = TABLES[kind];
  const primary = m.primaryOnly ? sql`and ${sql.ref('l.primary')} = 1` : sql``;
  return sql`select ${select} from ${sql.table(t.link)} as l inner join ${sql.table(t.point)} as p on ${sql.ref('p.id')} = ${sql.ref(`l.${t.key}`)}
    where ${sql.ref('l.entityType')} = ${sql.lit(entityType)} and ${sql.ref('l.deleted')} = 0 and ${sql.ref('p.deleted')} = 0 ${primary} and ${m.condition} and ${extra}`;
}

/**
 * `id IN (…)` when few addresses match (EspoCRM's form; the database drives from the addresses),
 * otherwise a correlated `EXISTS`, so a condition matching most addresses (startsWith 'info') does
 * not make the database walk every address for every page. A bounded probe decides.
 */
async function resolve(kind: Kind, m: Membership, c: CompileContext): Promise<Cond> {
  const id = sql.ref(`${c.alias}.id`);
  const subquery = addressRows(kind, c.meta.entityType, m, sql.ref('l.entityId'));
  const probe = await sql<{ one: number }>`select 1 as one from (${subquery}) as probe limit ${IN_LIST_LIMIT + 1}`.execute(c.db);
  if (probe.rows.length <= IN_LIST_LIMIT) {
    return idIn(id, subquery, m.negate);
  }
  const correlated: Cond = sql`exists (${addressRows(kind, c.meta.entityType, m, sql`1`, sql`${sql.ref('l.entityId')} = ${id}`)})`;
  return m.negate ? not(correlated) : correlated;
}

function unsupported(item: WhereItem): BadRequest {
  return new BadRequest(`Where item '${item.type}' is not supported for attribute '${item.attribute}'.`);
}

/** emailAddress, phoneNumber, phoneNumberNumeric. */
export async function compileAddressItem(item: WhereItem, attribute: AttributeDefs, c: CompileContext): Promise<Cond> {
  const kind = kindOf(attribute);
  const valueColumn = sql.ref(attribute.kind === 'primaryEmail' ? 'p.lower' : attribute.kind === 'phoneNumeric' ? 'p.numeric' : 'p.name');
  const normalize = (value: Scalar): string => {
    const text = String(value ?? '');
    if (attribute.kind === 'primaryEmail') return text.toLowerCase();
    return attribute.kind === 'phoneNumeric' ? text.replace(/[^0-9%]/g, '') : text;
  };
  const having = (condition: Cond, negate = false) => resolve(kind, { condition, negate }, c);
  const matching = (pattern: string, negate = false) => having(likeIgnoringCase(c.engine, valueColumn, pattern), negate);
  const equalTo = async (values: Scalar[], negate = false) =>
    values.length === 0 ? (negate ? TRUE : FALSE) : having(sql`${valueColumn} in (${sql.join(values.map(normalize))})`, negate);
  const value = () => coerceScalar(attribute, item.value);
  const list = () => listValue(item, attribute);
  const escaped = () => escapeLike(normalize(value()));

  switch (item.type) {
    case 'equals':
      return Array.isArray(item.value) ? equalTo(list()) : value() === null ? having(TRUE, true) : equalTo([value()]);
    case 'notEquals':
      return Array.isArray(item.value) ? equalTo(list(), true) : value() === null ? having(TRUE) : equalTo([value()], true);
    case 'in':
      return equalTo(list());
    case 'notIn':
      return equalTo(list(), true);
    case 'like':
      return matching(normalize(value()));
    case 'notLike':
      return matching(normalize(value()), true);
    case 'startsWith':
      return matching(`${escaped()}%`);
    case 'endsWith':
      return matching(`%${escaped()}`);
    case 'contains':
      return matching(`%${escaped()}%`);
    case 'notContains':
      return matching(`%${escaped()}%`, true);
    case 'isNull':
      return having(TRUE, true);
    case 'isNotNull':
    case 'ever':
      return having(TRUE);
    default:
      throw unsupported(item);
  }
}

/** emailAddressIsOptedOut, emailAddressIsInvalid, phoneNumberIsOptedOut, phoneNumberIsInvalid. */
export async function compileFlagItem(item: WhereItem, attribute: AttributeDefs, c: CompileContext): Promise<Cond> {
  const kind = kindOf(attribute);
  const flag = sql.ref(`p.${attribute.flag}`);
  const primary = (condition: Cond, negate = false) => resolve(kind, { condition, primaryOnly: true, negate }, c);
  // No primary address: the flag reads as null (and as false for isFalse, as EspoCRM's `= FALSE` where).
  const isTrue = () => primary(sql`${flag} = 1`);
  const isFalse = () => primary(sql`${flag} = 1`, true);
  switch (item.type) {
    case 'isTrue':
      return isTrue();
    case 'isFalse':
      return isFalse();
    case 'equals': {
      const coerced = coerceScalar(attribute, item.value);
      return coerced === null ? primary(TRUE, true) : coerced ? isTrue() : isFalse();
    }
    case 'notEquals': {
      const coerced = coerceScalar(attribute, item.value);
      return coerced === null ? primary(TRUE) : primary(sql`${flag} = ${coerced ? 0 : 1}`);
    }
    case 'isNull':
      return primary(TRUE, true);
    case 'isNotNull':
      return primary(TRUE);
    default:
      throw unsupported(item);
  }
}
