import { resourcePath, type ApiRoot } from './base-url.js';
import { base64Utf8 } from './base64.js';
import { hmacMessage, hmacSha256Hex, importHmacKey } from './hmac.js';

/** API user with the "API Key" method: `X-Api-Key`. */
export interface ApiKeyAuth {
  readonly apiKey: string;
  readonly secretKey?: undefined;
  readonly username?: never;
  readonly password?: never;
}

/** API user with the "HMAC" method: `X-Hmac-Authorization`, signed per request. The secret never leaves the client. */
export interface HmacAuth {
  readonly apiKey: string;
  readonly secretKey: string;
  readonly username?: never;
  readonly password?: never;
}

/**
 * A regular (or admin, or portal) user. EspoCRM reads `Espo-Authorization: base64(user:password)`;
 * `header: 'Authorization'` sends standard `Basic` instead, as the PHP client does, which only works
 * where the web server passes that header through to PHP.
 */
export interface PasswordAuth {
  readonly username: string;
  readonly password: string;
  readonly header?: 'Espo-Authorization' | 'Authorization';
  readonly apiKey?: never;
  readonly secretKey?: never;
}

export type EspoAuth = ApiKeyAuth | HmacAuth | PasswordAuth;

/** Sets the credentials of `auth` on a request that is about to be sent. */
export type RequestSigner = (request: Request) => Promise<void>;

export function createRequestSigner(auth: EspoAuth, root: ApiRoot): RequestSigner {
  if ('username' in auth && auth.username !== undefined) {
    const credentials = base64Utf8(`${auth.username}:${auth.password}`);
    const [name, value] =
      auth.header === 'Authorization' ? ['Authorization', `Basic ${credentials}`] : ['Espo-Authorization', credentials];
    return async (request) => {
      request.headers.set(name, value);
    };
  }
  const { apiKey, secretKey } = auth;
  if (secretKey === undefined) {
    return async (request) => {
      request.headers.set('X-Api-Key', apiKey);
    };
  }
  let key: Promise<CryptoKey> | undefined;
  return async (request) => {
    key ??= importHmacKey(secretKey);
    const digest = await hmacSha256Hex(await key, hmacMessage(request.method, resourcePath(request.url, root)));
    request.headers.set('X-Hmac-Authorization', base64Utf8(`${apiKey}:${digest}`));
  };
}
