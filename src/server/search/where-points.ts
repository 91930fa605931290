/**
 * Conditions on email addresses and phone numbers, as EspoCRM's Email/Phone field converters define
 * them: sub-queries over entity_email_address / entity_phone_number. Equality and LIKE match ANY of
 * the record's addresses; the IsOptedOut/IsInvalid flags look at the primary one.
 */
import { sql } from 'kysely';
import { escapeLike, likeIgnoringCase } from '../db/dialect.js';
import { BadRequest } from '../errors.js';
import type { AttributeDefs } from '../metadata/index.js';
import { and, FALSE, idIn, not, TRUE, type Cond, type Expr } from './sql-conditions.js';
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

/** Ids of records having an address that satisfies `condition` (on alias `p`). */
function recordsWith(kind: Kind, entityType: string, condition: Cond, primaryOnly = false): Expr {
  const t = TABLES[kind];
  const primary = primaryOnly ? sql`and ${sql.ref('l.primary')} = 1` : sql``;
  return sql`select ${sql.ref('l.entityId')} from ${sql.table(t.link)} as l inner join ${sql.table(t.point)} as p on ${sql.ref('p.id')} = ${sql.ref(`l.${t.key}`)}
    where ${sql.ref('l.entityType')} = ${entityType} and ${sql.ref('l.deleted')} = 0 and ${sql.ref('p.deleted')} = 0 ${primary} and ${condition}`;
}

function unsupported(item: WhereItem): BadRequest {
  return new BadRequest(`Where item '${item.type}' is not supported for attribute '${item.attribute}'.`);
}

/** emailAddress, phoneNumber, phoneNumberNumeric. */
export function compileAddressItem(item: WhereItem, attribute: AttributeDefs, c: CompileContext): Cond {
  const kind = kindOf(attribute);
  const id = sql.ref(`${c.alias}.id`);
  const valueColumn = sql.ref(attribute.kind === 'primaryEmail' ? 'p.lower' : attribute.kind === 'phoneNumeric' ? 'p.numeric' : 'p.name');
  const normalize = (value: Scalar): string => {
    const text = String(value ?? '');
    if (attribute.kind === 'primaryEmail') return text.toLowerCase();
    return attribute.kind === 'phoneNumeric' ? text.replace(/[^0-9%]/g, '') : text;
  };
  const having = (condition: Cond, negate = false) => idIn(id, recordsWith(kind, c.meta.entityType, condition), negate);
  const matching = (pattern: string, negate = false) => having(likeIgnoringCase(c.engine, valueColumn, pattern), negate);
  const equalTo = (values: Scalar[], negate = false) =>
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
export function compileFlagItem(item: WhereItem, attribute: AttributeDefs, c: CompileContext): Cond {
  const kind = kindOf(attribute);
  const id = sql.ref(`${c.alias}.id`);
  const flag = sql.ref(`p.${attribute.flag}`);
  const primaryWith = (condition: Cond) => recordsWith(kind, c.meta.entityType, condition, true);
  // No primary address: the flag reads as null (and as false for isFalse, as EspoCRM's `= FALSE` where).
  const isTrue = () => idIn(id, primaryWith(sql`${flag} = 1`));
  const isFalse = () => not(isTrue());
  const equalsValue = (value: unknown) => {
    const coerced = coerceScalar(attribute, value);
    return coerced === null ? idIn(id, primaryWith(TRUE), true) : coerced ? isTrue() : isFalse();
  };
  switch (item.type) {
    case 'isTrue':
      return isTrue();
    case 'isFalse':
      return isFalse();
    case 'equals':
      return equalsValue(item.value);
    case 'notEquals': {
      const coerced = coerceScalar(attribute, item.value);
      return coerced === null ? idIn(id, primaryWith(TRUE)) : and([idIn(id, primaryWith(TRUE)), coerced ? isFalse() : isTrue()]);
    }
    case 'isNull':
      return idIn(id, primaryWith(TRUE), true);
    case 'isNotNull':
      return idIn(id, primaryWith(TRUE));
    default:
      throw unsupported(item);
  }
}
