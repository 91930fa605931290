import type { RequestHandler } from 'express';

/**
 * Cross-origin access to the API, as EspoCRM offers it (7.5+, `Espo\Tools\Api\Cors\Middleware` with its
 * `DefaultHelper`, enabled there by adding the middleware to `globalMiddlewareClassNameList` and OPTIONS
 * routes). The settings carry the names of EspoCRM's config keys:
 *
 * - `apiCorsAllowedOriginList`: origins compared exactly with the `Origin` header; empty = CORS off;
 * - `apiCorsAllowedMethodList`: `Access-Control-Allow-Methods` of a preflight;
 * - `apiCorsAllowedHeaderList`: `Access-Control-Allow-Headers` of a preflight that asks for headers;
 * - `apiCorsMaxAge`: `Access-Control-Max-Age` (EspoCRM's default 86400).
 *
 * Deviations (docs/deviations.md): the method and header lists default to what this API uses (EspoCRM's
 * are empty, which lets a browser send only simple requests), responses expose `X-Status-Reason` (the
 * client reads it; EspoCRM exposes nothing), and `Vary: Origin` tells caches that the answer depends on it.
 */
export interface CorsSettings {
  allowedOriginList: readonly string[];
  allowedMethodList: readonly string[];
  allowedHeaderList: readonly string[];
  /** Seconds. */
  maxAge: number;
}

export const DEFAULT_CORS_SETTINGS: CorsSettings = {
  allowedOriginList: [],
  allowedMethodList: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowedHeaderList: [
    'Content-Type',
    'X-Api-Key',
    'X-Hmac-Authorization',
    'Espo-Authorization',
    'Authorization',
    'X-No-Total',
    'X-Skip-Duplicate-Check',
    'X-Version-Number',
    'X-Duplicate-Source-Id',
    'X-Requested-With',
  ],
  maxAge: 86_400,
};

/** Response headers a page on another origin may read (the client reads the error reason). */
export const EXPOSED_HEADERS = ['X-Status-Reason'];

/** Whether `value` is an origin as browsers send it: scheme, host and port only (no path, no slash). */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * Mounted on the API before authentication, so a preflight (`OPTIONS`, which browsers send without
 * credentials) is answered here: 204 with the CORS headers for an allowed origin, and, as in EspoCRM, an
 * empty 200 without them otherwise (the browser then refuses the actual request). Every other request of
 * an allowed origin gets `Access-Control-Allow-Origin` before anything else runs, so 401s and other errors
 * are readable by the page too. Returns undefined when the origin list is empty (CORS off).
 */
export function cors(settings: CorsSettings): RequestHandler | undefined {
  if (settings.allowedOriginList.length === 0) return undefined;
  const origins = new Set(settings.allowedOriginList);
  const maxAge = String(settings.maxAge);
  const methods = settings.allowedMethodList.join(', ');
  const headers = settings.allowedHeaderList.join(', ');
  const exposed = EXPOSED_HEADERS.join(', ');

  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.headers.origin;
    const allowed = origin !== undefined && origins.has(origin);
    const preflight = req.method === 'OPTIONS';
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Max-Age', maxAge);
    }
    if (!preflight) {
      if (allowed) res.setHeader('Access-Control-Expose-Headers', exposed);
      next();
      return;
    }
    if (!allowed) {
      res.status(200).end();
      return;
    }
    if (methods) res.setHeader('Access-Control-Allow-Methods', methods);
    if (headers && req.headers['access-control-request-headers'] !== undefined) {
      res.setHeader('Access-Control-Allow-Headers', headers);
    }
    res.status(204).end();
  };
}
