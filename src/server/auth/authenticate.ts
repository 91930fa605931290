import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Actor } from '../records/access-control.js';
import { readCredentials } from './credentials.js';
import { secretsEqual, verifyHmac } from './hmac.js';
import { verifyPassword } from './passwords.js';
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

/**
 * Resolves a request's credentials to an active user, or `undefined` (→ 401). Throws 400 for a malformed
 * header. As in EspoCRM, an API user with authentication method `Hmac` cannot use its key alone; any API
 * user with a secret key can sign (the bootstrap user has both, for convenience).
 */
export class Authenticator {
  private readonly passwords = new PasswordCache();
  constructor(private readonly users: UserStore) {}

  async authenticate(req: Request): Promise<Actor | undefined> {
    const credentials = readCredentials(req.headers);
    let user: StoredUser | undefined;
    switch (credentials.kind) {
      case 'password': {
        const found = await this.users.findByUserName(credentials.userName);
        if (found?.passwordHash && (await this.passwordMatches(found, credentials.userName, credentials.password))) user = found;
        break;
      }
      case 'apiKey': {
        const found = await this.users.findByApiKey(credentials.apiKey);
        if (found?.apiKey && found.authMethod !== 'Hmac' && secretsEqual(found.apiKey, credentials.apiKey)) user = found;
        break;
      }
      case 'hmac': {
        const found = await this.users.findByApiKey(credentials.apiKey);
        if (found?.secretKey && verifyHmac(found.secretKey, req.method, resourcePath(req), credentials.signature)) user = found;
        break;
      }
      case 'none':
        break;
    }
    return user?.isActive ? user.actor : undefined;
  }

  private async passwordMatches(user: StoredUser, userName: string, password: string): Promise<boolean> {
    if (this.passwords.has(user, userName, password)) return true;
    const ok = await verifyPassword(password, user.passwordHash ?? '');
    if (ok) this.passwords.add(user, userName, password);
    return ok;
  }
}
