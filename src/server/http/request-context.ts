import type { Request } from 'express';
import type { AccessControl, Actor } from '../acl/index.js';
import { createContext, type RequestContext } from '../read/context.js';

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `true` in any case means yes; EspoCRM compares the lower-cased header with `true`. */
function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

/** The request context of the record service, from the acting user and EspoCRM's request headers. */
export function requestContext(req: Request, actor: Actor, acl: AccessControl): RequestContext {
  const skip = header(req, 'x-skip-duplicate-check');
  const version = header(req, 'x-version-number');
  return createContext(actor, {
    acl,
    // Header present → it decides; absent → the legacy body flag `_skipDuplicateCheck` may.
    skipDuplicateCheck: skip === undefined ? undefined : isTrue(skip),
    versionNumber: version === undefined || version === '' ? null : Number(version),
    noTotal: isTrue(header(req, 'x-no-total')),
  });
}
