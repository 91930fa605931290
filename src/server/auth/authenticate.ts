import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { type Actor, verifyPassword } from '../acl/index.js';
import { readCredentials, type Credentials } from './credentials.js';
import { secretsEqual, verifyHmac } from './hmac.js';
import type { StoredUser, UserStore } from './user-store.js';

export const API_BASE_PATH = '/api/v1';

/**
 * Remembers successful password checks for a short while: scrypt is slow on purpose, and a client using
 * Basic authentication sends the password with every request. Keyed by a hash, never the password.
 */
class PasswordCache {
  private readonly entries = new Map<string, { userId: string; until: number }>();
  constructor(private readonly ttlMs = 60_000, private readonly maxEntries = 1000) {}

  private key(userName: string, password: string, hash: string): string {
    return createHash('sha256').update(`${userName}\0${password}\0${hash}`).digest('base64');
  }

  has(user: StoredUser, userName: string, password: string): boolean {
    const entry = this.entries.get(this.key(userName, password, user.passwordHash ?? ''));
    return entry !== undefined && entry.userId === user.actor.id && entry.until > Date.now();
  }

  add(user: StoredUser, userName: string, password: string): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(this.key(userName, password, user.passwordHash ?? ''), { userId: user.actor.id, until: Date.now() + this.ttlMs });
  }
}

/** The resource path EspoCRM signs: the raw path after `/api/v1`, without the query string. */
export function resourcePath(req: Request): string {
  const path = req.originalUrl.split('?')[0] ?? '';
  return path.startsWith(API_BASE_PATH) ? path.slice(API_BASE_PATH.length) || '/' : path;
}

/** The outcome of authenticating a request: the user, or whether credentials were offered at all. */
export type AuthResult = { actor: Actor } | { actor: undefined; offeredCredentials: boolean };

/**
 * Resolves a request's credentials to an active user; throws 400 for a malformed authorization string.
 * As in EspoCRM (Authentication\Helper\UserFinder, Authentication::processUserCheck):
 * - passwords: users other than API, system and portal users (portal users only log in to portals);
 * - `X-Api-Key`: API users with authentication method `ApiKey`;
 * - HMAC: API users with method `Hmac`, and, as a convenience documented in docs/deviations.md, an
 *   `ApiKey` user that also has a secret (the bootstrap API user);
 * - inactive users never authenticate.
 */
export class Authenticator {
  private readonly passwords = new PasswordCache();
  constructor(private readonly users: UserStore) {}

  async authenticate(req: Request): Promise<AuthResult> {
    const credentials = readCredentials(req.headers);
    const user = await this.userOf(credentials, req);
    if (user?.isActive) return { actor: user.actor };
    return { actor: undefined, offeredCredentials: credentials.kind !== 'none' };
  }

  private async userOf(credentials: Credentials, req: Request): Promise<StoredUser | undefined> {
    switch (credentials.kind) {
      case 'password': {
        if (credentials.password === '') return undefined;
        const found = await this.users.findByUserName(credentials.userName);
        return found?.passwordHash && (await this.passwordMatches(found, credentials.userName, credentials.password)) ? found : undefined;
      }
      case 'apiKey': {
        const found = credentials.apiKey === '' ? undefined : await this.users.findByApiKey(credentials.apiKey);
        return found?.apiKey && found.authMethod === 'ApiKey' && secretsEqual(found.apiKey, credentials.apiKey) ? found : undefined;
      }
      case 'hmac': {
        const found = credentials.apiKey === '' ? undefined : await this.users.findByApiKey(credentials.apiKey);
        const maySign = found?.authMethod === 'Hmac' || found?.authMethod === 'ApiKey';
        return found?.secretKey && maySign && verifyHmac(found.secretKey, req.method, resourcePath(req), credentials.signature) ? found : undefined;
      }
      case 'none':
        return undefined;
    }
  }

  private async passwordMatches(user: StoredUser, userName: string, password: string): Promise<boolean> {
    if (this.passwords.has(user, userName, password)) return true;
    const ok = await verifyPassword(password, user.passwordHash ?? '');
    if (ok) this.passwords.add(user, userName, password);
    return ok;
  }
}
