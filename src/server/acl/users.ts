/**
 * Creating users the way EspoCRM's administration does: API users authenticate with a key (method
 * `ApiKey`) or sign with a secret (method `Hmac`); the others log in with a password, stored only as a
 * scrypt hash. Checks follow EspoCRM's user-name rule (`userNameRegularExpression`) and keep user names and
 * API keys unique.
 */
import { sql, type Kysely } from 'kysely';
import { hashPassword } from './passwords.js';
import { asciiLower, engineOf, equalsIgnoringAsciiCase } from '../db/dialect.js';
import { lockKeys } from '../db/locks.js';
import { changingIdentities } from './directory.js';
import type { Database } from '../db/schema.js';
import { generateId } from '../core/ids.js';
import { DirectoryError, InvalidValueError } from './errors.js';
import { insertUser } from './user-rows.js';

export type NewUserCredentials =
  | { kind: 'api'; apiKey: string; secretKey?: string | undefined }
  | { kind: 'password'; password: string; admin?: boolean | undefined };

export interface NewUser {
  userName: string;
  firstName?: string | null | undefined;
  /** Defaults to the user name, so the user has a display name. */
  lastName?: string | null | undefined;
  credentials: NewUserCredentials;
  teamIds?: readonly string[];
  roleIds?: readonly string[];
  isActive?: boolean;
}

/** EspoCRM: lower-case letters, digits and `-@_.` only (config `userNameRegularExpression`), at most 50. */
const USER_NAME = /^[a-z0-9\-@_.]{1,50}$/;
/** Printable ASCII; a key cannot contain `:` because HMAC headers are `key:signature`. */
const API_KEY = /^[\x21-\x39\x3b-\x7e]{1,100}$/;
const SECRET_KEY = /^[\x21-\x7e]{1,100}$/;

function check(user: NewUser): void {
  if (!USER_NAME.test(user.userName)) {
    throw new InvalidValueError(
      `User name '${user.userName}' is not valid: use 1 to 50 lower-case letters, digits and the characters - @ _ . (EspoCRM's rule).`,
    );
  }
  const credentials = user.credentials;
  if (credentials.kind === 'api') {
    if (!API_KEY.test(credentials.apiKey)) {
      throw new InvalidValueError('API key must be 1 to 100 printable ASCII characters without spaces or colons.');
    }
    if (credentials.secretKey !== undefined && !SECRET_KEY.test(credentials.secretKey)) {
      throw new InvalidValueError('Secret key must be 1 to 100 printable ASCII characters without spaces.');
    }
  } else {
    if (credentials.password === '') throw new InvalidValueError('Password must not be empty.');
    // EspoCRM trims the password it receives at login; one with outer spaces could never log in.
    if (credentials.password.trim() !== credentials.password) {
      throw new InvalidValueError('Password must not start or end with white space (EspoCRM trims it at login).');
    }
  }
}

async function assertUnique(db: Kysely<Database>, user: NewUser): Promise<void> {
  const sameName = await db
    .selectFrom('user')
    .select('id')
    .where('deleted', '=', 0)
    .where(equalsIgnoringAsciiCase(engineOf(db), sql.ref('userName'), user.userName))
    .executeTakeFirst();
  if (sameName) throw new DirectoryError(`User name '${user.userName}' is already taken.`);
  if (user.credentials.kind === 'api') {
    // The unique index covers deleted users too.
    const sameKey = await db.selectFrom('user').select('id').where('apiKey', '=', user.credentials.apiKey).executeTakeFirst();
    if (sameKey) throw new DirectoryError('Another user already has this API key.');
  }
}

/** Creates the user with its teams and roles in one transaction; returns its id. */
export async function createUser(db: Kysely<Database>, user: NewUser, now = new Date()): Promise<string> {
  check(user);
  const credentials = user.credentials;
  // Hash before the transaction: scrypt takes a while and must not hold SQLite's write lock.
  const passwordHash = credentials.kind === 'password' ? await hashPassword(credentials.password) : null;
  return changingIdentities(db, async (trx) => {
    // Concurrent creations of one name or key wait here, so the check sees the first one's insert.
    await lockKeys(trx, [`user-name:${asciiLower(user.userName)}`, ...(credentials.kind === 'api' ? [`api-key:${credentials.apiKey}`] : [])]);
    await assertUnique(trx, user);
    const id = await insertUser(
      trx,
      {
        id: generateId(now.getTime()),
        userName: user.userName,
        firstName: user.firstName ?? null,
        lastName: user.lastName ?? user.userName,
        type: credentials.kind === 'api' ? 'api' : credentials.admin ? 'admin' : 'regular',
        isActive: user.isActive !== false,
        apiKey: credentials.kind === 'api' ? credentials.apiKey : null,
        secretKey: credentials.kind === 'api' ? (credentials.secretKey ?? null) : null,
        authMethod: credentials.kind === 'api' ? (credentials.secretKey !== undefined ? 'Hmac' : 'ApiKey') : null,
        passwordHash,
        teamIds: user.teamIds ?? [],
      },
      now,
    );
    for (const roleId of new Set(user.roleIds ?? [])) {
      await trx.insertInto('role_user').values({ roleId, userId: id }).execute();
    }
    return id;
  });
}
