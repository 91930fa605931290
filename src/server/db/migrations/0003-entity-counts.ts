/**
 * A count of the non-deleted rows of every entity table, kept exact by the database itself (triggers), so the
 * total of an unfiltered list (`deleted = 0` and nothing else) is read instead of counted: at 1 000 000
 * accounts `count(*)` took about 25 ms on SQLite, and longer on PostgreSQL.
 *
 * `entity_count` holds, per table, rows ("stripes") whose sum is the count. Triggers add to them on insert
 * and hard delete of a non-deleted row, and on an update of `deleted` that soft-deletes or restores one.
 * The counts start from the rows already there; on PostgreSQL the whole migration is one transaction and
 * CREATE TRIGGER locks out writers of the table until it commits, so no write falls between trigger and
 * count; on SQLite the migration holds the write lock (db/migrate.ts).
 *
 * - SQLite: one stripe per table (one writer at a time anyway); row triggers only (SQLite has no others),
 *   each a primary-key update of a small table.
 * - PostgreSQL: 16 stripes per table, and a transaction adds to the stripe `txid % 16`. One row per table
 *   would be one row lock every writer of the table queues for until the previous one commits; with 16,
 *   concurrent writers (whose transaction ids are mostly consecutive) rarely share one. A stripe chosen per
 *   row instead would have one transaction lock several stripes in arbitrary order, and two such could
 *   deadlock; per transaction, each holds at most one stripe per table. (Two transactions on the same
 *   stripe writing two tables in opposite orders can still deadlock; PostgreSQL aborts one and
 *   inTransaction runs it again, db/locks.ts.) Inserts and hard deletes use statement triggers with
 *   transition tables, so a 512-row bulk insert updates its stripe once; updates use a row trigger whose
 *   WHEN clause lets through only the rare updates that change `deleted`.
 *
 * Self-contained like 0001 (no metadata imports); db/entity-counts.ts reads the counts.
 */
import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect.js';

/** Every entity table of 0001 (each has `deleted`); test/server-core/entity-counts.test.ts checks the metadata against it. */
export const COUNTED_TABLES = [
  'account',
  'attachment',
  'call',
  'campaign',
  'case',
  'contact',
  'document',
  'email',
  'meeting',
  'note',
  'opportunity',
  'role',
  'target_list',
  'task',
  'team',
  'user',
] as const;

export const POSTGRES_STRIPES = 16;

const COUNT_TABLE = 'entity_count';
/** A soft delete or a restore: the row moves out of or into the count. */
const DELETED_CHANGES = sql.raw('(old."deleted" = 0) <> (new."deleted" = 0)');

const triggerName = (table: string, event: string) => sql.id(`${COUNT_TABLE}_${table}_${event}`);

export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await upPostgres(db);
  } else {
    await upSqlite(db);
  }
  for (const table of COUNTED_TABLES) {
    await sql`update ${sql.table(COUNT_TABLE)} set "total" = (select count(*) from ${sql.table(table)} where "deleted" = 0)
      where "tableName" = ${sql.lit(table)} and "stripe" = 0`.execute(db);
  }
}

async function upSqlite(db: Kysely<any>) {
  await sql`create table ${sql.table(COUNT_TABLE)} (
    "tableName" varchar(64) not null, "stripe" integer not null, "total" integer not null default 0,
    primary key ("tableName", "stripe")
  ) without rowid`.execute(db);
  for (const table of COUNTED_TABLES) {
    await sql`insert into ${sql.table(COUNT_TABLE)} ("tableName", "stripe") values (${sql.lit(table)}, 0)`.execute(db);
    const add = (delta: string) => sql`update ${sql.table(COUNT_TABLE)} set "total" = "total" + ${sql.raw(delta)}
      where "tableName" = ${sql.lit(table)} and "stripe" = 0;`;
    await sql`create trigger ${triggerName(table, 'insert')} after insert on ${sql.table(table)}
      for each row when new."deleted" = 0 begin ${add('1')} end`.execute(db);
    await sql`create trigger ${triggerName(table, 'delete')} after delete on ${sql.table(table)}
      for each row when old."deleted" = 0 begin ${add('-1')} end`.execute(db);
    await sql`create trigger ${triggerName(table, 'update')} after update of "deleted" on ${sql.table(table)}
      for each row when ${DELETED_CHANGES} begin ${add('(new."deleted" = 0) - (old."deleted" = 0)')} end`.execute(db);
  }
}

async function upPostgres(db: Kysely<any>) {
  // Updated in place all the time and never by an indexed column: room on each page keeps the updates HOT.
  await sql`create table ${sql.table(COUNT_TABLE)} (
    "tableName" varchar(64) not null, "stripe" integer not null, "total" bigint not null default 0,
    primary key ("tableName", "stripe")
  ) with (fillfactor = 50)`.execute(db);
  await sql`insert into ${sql.table(COUNT_TABLE)} ("tableName", "stripe")
    select "name", "stripe" from unnest(${sql.lit(`{${COUNTED_TABLES.join(',')}}`)}::text[]) as "name",
      generate_series(0, ${sql.lit(POSTGRES_STRIPES - 1)}) as "stripe"`.execute(db);
  // `set search_path from current`: the functions find entity_count in this schema whoever's session fires them.
  await sql`create function entity_count_add(table_name text, delta bigint) returns void language sql
    set search_path from current as $$
      update entity_count set "total" = "total" + delta
      where "tableName" = table_name and "stripe" = txid_current() % ${sql.lit(POSTGRES_STRIPES)}
    $$`.execute(db);
  await sql`create function entity_count_inserted() returns trigger language plpgsql set search_path from current as $$
    declare delta bigint := (select count(*) from inserted where "deleted" = 0);
    begin
      if delta <> 0 then perform entity_count_add(TG_TABLE_NAME, delta); end if;
      return null;
    end $$`.execute(db);
  await sql`create function entity_count_removed() returns trigger language plpgsql set search_path from current as $$
    declare delta bigint := (select count(*) from removed where "deleted" = 0);
    begin
      if delta <> 0 then perform entity_count_add(TG_TABLE_NAME, -delta); end if;
      return null;
    end $$`.execute(db);
  await sql`create function entity_count_flagged() returns trigger language plpgsql set search_path from current as $$
    begin
      perform entity_count_add(TG_TABLE_NAME, case when new."deleted" = 0 then 1 else -1 end);
      return null;
    end $$`.execute(db);
  for (const table of COUNTED_TABLES) {
    await sql`create trigger ${triggerName(table, 'insert')} after insert on ${sql.table(table)}
      referencing new table as inserted for each statement execute function entity_count_inserted()`.execute(db);
    await sql`create trigger ${triggerName(table, 'delete')} after delete on ${sql.table(table)}
      referencing old table as removed for each statement execute function entity_count_removed()`.execute(db);
    await sql`create trigger ${triggerName(table, 'update')} after update of "deleted" on ${sql.table(table)}
      for each row when (${DELETED_CHANGES}) execute function entity_count_flagged()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = engineOf(db) === 'postgres';
  for (const table of COUNTED_TABLES) {
    for (const event of ['insert', 'delete', 'update']) {
      await (postgres
        ? sql`drop trigger if exists ${triggerName(table, event)} on ${sql.table(table)}`
        : sql`drop trigger if exists ${triggerName(table, event)}`
      ).execute(db);
    }
  }
  if (postgres) {
    for (const name of ['entity_count_inserted', 'entity_count_removed', 'entity_count_flagged']) {
      await sql`drop function if exists ${sql.id(name)}()`.execute(db);
    }
    await sql`drop function if exists entity_count_add(text, bigint)`.execute(db);
  }
  await sql`drop table if exists ${sql.table(COUNT_TABLE)}`.execute(db);
}
