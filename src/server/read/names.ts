/** SQL for a record's display name (EspoCRM: `name`, or first + last name for person entities). */
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { EntityMeta } from '../metadata/index.js';

export function nameExpression(meta: EntityMeta, alias: string): RawBuilder<string | null> {
  const field = meta.fields.get(meta.nameField);
  if (field?.type === 'personName') {
    return personName(sql.ref(`${alias}.firstName`), sql.ref(`${alias}.lastName`));
  }
  return sql<string | null>`${sql.ref(`${alias}.${meta.nameField}`)}`;
}

/** "First Last"; EspoCRM's default personNameFormat `firstLast`. Null when both are empty. */
function personName(first: Expression<unknown>, last: Expression<unknown>): RawBuilder<string | null> {
  return sql<string | null>`nullif(trim(coalesce(${first}, '') || ' ' || coalesce(${last}, '')), '')`;
}

/** The same rule for values already in memory. */
export function personNameOf(firstName: unknown, lastName: unknown): string | null {
  const name = [firstName, lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return name === '' ? null : name;
}
