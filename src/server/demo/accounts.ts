/**
 * Demo and test data written straight to storage (no validation, no duplicate check). Streamed: rows are
 * generated a few hundred at a time, written with multi-row inserts and dropped, in transactions of a
 * bounded number of accounts, so memory stays flat whatever the count (`espo-ref seed --accounts 1000000`).
 */
import { sql, type Kysely } from 'kysely';
import { BulkInsert, ROWS_PER_STATEMENT } from '../db/bulk-insert.js';
import { accountTypeOptions, industryOptions } from '../metadata/account.js';
import { generateId } from '../core/ids.js';
import type { Database } from '../db/schema.js';
import { formatDateTime } from '../core/time.js';

export interface SeedAccountsOptions {
  /** Accounts per transaction (default 10 000). */
  readonly batchSize?: number;
  /** Called after each batch. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Seed of the pseudo-random generator: the same seed gives the same data. */
  readonly seed?: number;
  /** Assigned users to spread accounts over (none by default). */
  readonly assignedUserIds?: readonly string[];
  /** createdAt is spread over this many days before `now` (default 3 years). */
  readonly days?: number;
  readonly now?: Date;
  /** Prefix making email addresses and phone numbers unique across several seed runs. */
  readonly tag?: string;
  /** How many ids of the newest accounts to return (default none: a big seed holds no ids). */
  readonly keepIds?: number;
}

export interface SeededAccounts {
  /** Accounts written. */
  readonly count: number;
  /** The ids of the newest `keepIds` accounts, oldest first. */
  readonly newestIds: string[];
}

const NAME_PARTS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Soylent', 'Cyberdyne', 'Tyrell', 'Wonka', 'Vandelay', 'Massive', 'Oscorp', 'Gringotts', 'Aperture', 'Monarch', 'Pied Piper', 'Dunder', 'Sterling'];
const NAME_MIDDLES = ['', 'Global', 'North', 'Blue', 'Digital', 'United', 'Pacific', 'Atlas', 'Prime', 'Green'];
const NAME_SUFFIXES = ['Corp', 'Inc', 'LLC', 'Group', 'Holdings', 'Partners', 'Labs', 'Systems', 'Industries', 'Solutions'];
const PLACES: readonly [string, string, string][] = [
  ['Berlin', 'Berlin', 'Germany'],
  ['Paris', 'Île-de-France', 'France'],
  ['London', 'England', 'United Kingdom'],
  ['New York', 'NY', 'USA'],
  ['San Francisco', 'CA', 'USA'],
  ['Toronto', 'ON', 'Canada'],
  ['Sydney', 'NSW', 'Australia'],
  ['Kyiv', 'Kyiv', 'Ukraine'],
  ['Madrid', 'Madrid', 'Spain'],
  ['Tokyo', 'Tokyo', 'Japan'],
];
const STREETS = ['Main Street', 'Market Street', 'Station Road', 'High Street', 'Park Avenue', 'Church Lane'];
const PHONE_TYPES = ['Office', 'Mobile', 'Fax', 'Other'] as const;

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The five tables one account's rows go to, each buffering fewer rows than a couple of statements. */
class Writers {
  readonly accounts = new BulkInsert('account', [
    'id', 'name', 'type', 'industry', 'website', 'billingAddressStreet', 'billingAddressCity', 'billingAddressState', 'billingAddressCountry',
    'billingAddressPostalCode', 'createdAt', 'modifiedAt', 'createdById', 'assignedUserId', 'versionNumber',
  ]);
  readonly emails = new BulkInsert('email_address', ['id', 'name', 'lower', 'optOut', 'invalid']);
  readonly emailLinks = new BulkInsert('entity_email_address', ['entityId', 'entityType', 'emailAddressId', 'primary']);
  readonly phones = new BulkInsert('phone_number', ['id', 'name', 'type', 'numeric']);
  readonly phoneLinks = new BulkInsert('entity_phone_number', ['entityId', 'entityType', 'phoneNumberId', 'primary']);

  /** Writes what fills whole statements (all of it when `all`); links after what they point to. */
  async write(db: Kysely<Database>, all = false): Promise<void> {
    for (const writer of [this.accounts, this.emails, this.emailLinks, this.phones, this.phoneLinks] as const) {
      await writer.write(db, all);
    }
  }
}

const TYPES = accountTypeOptions.slice(1);
const INDUSTRIES = industryOptions.slice(1);

/**
 * Inserts `count` realistic accounts with 1–2 email addresses and 1–2 phone numbers each: `batchSize`
 * accounts per transaction, generated and written ROWS_PER_STATEMENT at a time within it.
 */
export async function seedAccounts(db: Kysely<Database>, count: number, options: SeedAccountsOptions = {}): Promise<SeededAccounts> {
  const next = random(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const batchSize = Math.max(1, options.batchSize ?? 10_000);
  const now = (options.now ?? new Date()).getTime();
  const span = (options.days ?? 3 * 365) * 86_400_000;
  const tag = options.tag ?? generateId().slice(-6);
  const keepIds = options.keepIds ?? 0;
  const newestIds: string[] = [];

  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    await transaction(db, async (trx) => {
      const writers = new Writers();
      for (let index = start; index < end; index++) {
        // The draws of next() keep their order, so a seed gives the same data as before streaming.
        const id = generateId();
        if (index >= count - keepIds) newestIds.push(id);
        const name = [pick(NAME_PARTS), pick(NAME_MIDDLES), pick(NAME_SUFFIXES)].filter(Boolean).join(' ');
        const [city, state, country] = pick(PLACES);
        // Oldest first, like real data: ids (time-based) and createdAt grow together, which also keeps
        // the createdAt indexes append-only while seeding.
        const createdAt = formatDateTime(new Date(now - span + Math.floor(((index + next()) / count) * span)));
        const type = pick(TYPES);
        const industry = pick(INDUSTRIES);
        const street = `${1 + Math.floor(next() * 200)} ${pick(STREETS)}`;
        const postalCode = String(10000 + Math.floor(next() * 89999));
        const assignedUserId = options.assignedUserIds?.length ? pick(options.assignedUserIds) : null;
        writers.accounts.values.push(
          id, name, type, industry, `www.${slug(name)}.example.com`, street, city, state, country, postalCode,
          createdAt, createdAt, 'system', assignedUserId, 1,
        );
        addPoints(writers, id, name, `${tag}${String(index).padStart(7, '0')}`, next);
        if ((index - start + 1) % ROWS_PER_STATEMENT === 0) await writers.write(trx);
      }
      await writers.write(trx, true);
    });
    options.onProgress?.(end, count);
  }
  // Planner statistics: without them SQLite picks poor plans for filtered lists on large tables.
  for (const table of ['account', 'email_address', 'entity_email_address', 'phone_number', 'entity_phone_number']) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  }
  return { count: Math.max(0, count), newestIds };
}

/**
 * One transaction, or part of the open one. Not inTransaction: its retry after a PostgreSQL deadlock would
 * run the generator again, which has moved on; a seed's plain inserts do not deadlock anyway.
 */
function transaction(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

function addPoints(writers: Writers, entityId: string, name: string, unique: string, next: () => number) {
  const emailCount = next() < 0.5 ? 1 : 2;
  for (let n = 0; n < emailCount; n++) {
    const address = `${n === 0 ? 'info' : 'sales'}.${unique}@${slug(name)}.example.com`;
    const id = generateId();
    writers.emails.values.push(id, address, address.toLowerCase(), next() < 0.05 ? 1 : 0, 0);
    writers.emailLinks.values.push(entityId, 'Account', id, n === 0 ? 1 : 0);
  }
  const phoneCount = next() < 0.5 ? 1 : 2;
  for (let n = 0; n < phoneCount; n++) {
    const number = `+1 ${digitsOf(unique.slice(0, -7))} ${n + 1}${unique.slice(-7)}`;
    const id = generateId();
    writers.phones.values.push(id, number, PHONE_TYPES[n % PHONE_TYPES.length]!, number.replace(/\D/g, ''));
    writers.phoneLinks.values.push(entityId, 'Account', id, n === 0 ? 1 : 0);
  }
}

/** Six digits standing for the run tag (FNV-1a), so several runs get distinct phone numbers. */
function digitsOf(tag: string): string {
  let hash = 0x811c9dc5;
  for (const char of tag) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return String(hash % 1_000_000).padStart(6, '0');
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
