/**
 * Demo and test data written straight to storage (no validation, no duplicate check), in batched
 * multi-row inserts inside one transaction per batch.
 */
import { insertChunked } from '../db/insert-chunked.js';
import { inTransaction } from '../db/locks.js';
import { sql, type Insertable, type Kysely } from 'kysely';
import { accountTypeOptions, industryOptions } from '../metadata/account.js';
import { generateId } from '../core/ids.js';
import type { AccountTable, Database, EmailAddressTable, EntityEmailAddressTable, EntityPhoneNumberTable, PhoneNumberTable } from '../db/schema.js';
import { formatDateTime } from '../core/time.js';

export interface SeedAccountsOptions {
  /** Accounts per transaction (default 2000). */
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

interface Batch {
  accounts: Insertable<AccountTable>[];
  emails: Insertable<EmailAddressTable>[];
  emailLinks: Insertable<EntityEmailAddressTable>[];
  phones: Insertable<PhoneNumberTable>[];
  phoneLinks: Insertable<EntityPhoneNumberTable>[];
}

/** Inserts `count` realistic accounts with 1–2 email addresses and 1–2 phone numbers each. */
export async function seedAccounts(db: Kysely<Database>, count: number, options: SeedAccountsOptions = {}): Promise<string[]> {
  const next = random(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const batchSize = options.batchSize ?? 2000;
  const now = (options.now ?? new Date()).getTime();
  const span = (options.days ?? 3 * 365) * 86_400_000;
  const tag = options.tag ?? generateId().slice(-6);
  const ids: string[] = [];

  for (let start = 0; start < count; start += batchSize) {
    const batch: Batch = { accounts: [], emails: [], emailLinks: [], phones: [], phoneLinks: [] };
    for (let index = start; index < Math.min(count, start + batchSize); index++) {
      const id = generateId();
      ids.push(id);
      const name = [pick(NAME_PARTS), pick(NAME_MIDDLES), pick(NAME_SUFFIXES)].filter(Boolean).join(' ');
      const [city, state, country] = pick(PLACES);
      // Oldest first, like real data: ids (time-based) and createdAt grow together, which also keeps
      // the createdAt indexes append-only while seeding.
      const createdAt = formatDateTime(new Date(now - span + Math.floor(((index + next()) / count) * span)));
      batch.accounts.push({
        id,
        name,
        type: pick(accountTypeOptions.slice(1)),
        industry: pick(industryOptions.slice(1)),
        website: `www.${slug(name)}.example.com`,
        billingAddressStreet: `${1 + Math.floor(next() * 200)} ${pick(STREETS)}`,
        billingAddressCity: city,
        billingAddressState: state,
        billingAddressCountry: country,
        billingAddressPostalCode: String(10000 + Math.floor(next() * 89999)),
        createdAt,
        modifiedAt: createdAt,
        createdById: 'system',
        assignedUserId: options.assignedUserIds?.length ? pick(options.assignedUserIds) : null,
        versionNumber: 1,
      });
      addPoints(batch, id, name, `${tag}${String(index).padStart(7, "0")}`, next);
    }
    await inTransaction(db, async (trx) => {
      await insertChunked(trx, 'account', batch.accounts);
      await insertChunked(trx, 'email_address', batch.emails);
      await insertChunked(trx, 'entity_email_address', batch.emailLinks);
      await insertChunked(trx, 'phone_number', batch.phones);
      await insertChunked(trx, 'entity_phone_number', batch.phoneLinks);
    });
    options.onProgress?.(ids.length, count);
  }
  // Planner statistics: without them SQLite picks poor plans for filtered lists on large tables.
  for (const table of ['account', 'email_address', 'entity_email_address', 'phone_number', 'entity_phone_number']) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  }
  return ids;
}

function addPoints(batch: Batch, entityId: string, name: string, unique: string, next: () => number) {
  const emailCount = next() < 0.5 ? 1 : 2;
  for (let n = 0; n < emailCount; n++) {
    const address = `${n === 0 ? 'info' : 'sales'}.${unique}@${slug(name)}.example.com`;
    const id = generateId();
    batch.emails.push({ id, name: address, lower: address.toLowerCase(), optOut: next() < 0.05 ? 1 : 0, invalid: 0 });
    batch.emailLinks.push({ entityId, entityType: 'Account', emailAddressId: id, primary: n === 0 ? 1 : 0 });
  }
  const phoneCount = next() < 0.5 ? 1 : 2;
  for (let n = 0; n < phoneCount; n++) {
    const number = `+1 ${digitsOf(unique.slice(0, -7))} ${n + 1}${unique.slice(-7)}`;
    const id = generateId();
    batch.phones.push({ id, name: number, type: PHONE_TYPES[n % PHONE_TYPES.length]!, numeric: number.replace(/\D/g, '') });
    batch.phoneLinks.push({ entityId, entityType: 'Account', phoneNumberId: id, primary: n === 0 ? 1 : 0 });
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
