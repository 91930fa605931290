/**
 * Errors that end a request the way EspoCRM does: an HTTP status, the reason in the
 * `X-Status-Reason` header and, only where EspoCRM sends one, a JSON body.
 * Domain code throws these; the HTTP layer turns them into responses in one place.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly body?: unknown,
  ) {
    super(reason);
    this.name = new.target.name;
  }
}

export class BadRequest extends HttpError {
  constructor(reason: string, body?: unknown) {
    super(400, reason, body);
  }
}

export class Forbidden extends HttpError {
  constructor(reason: string, body?: unknown) {
    super(403, reason, body);
  }
}

export class NotFound extends HttpError {
  constructor(reason: string) {
    super(404, reason);
  }
}

export class Conflict extends HttpError {
  constructor(reason: string, body?: unknown) {
    super(409, reason, body);
  }
}

/**
 * EspoCRM's `messageTranslation` error body (validation failures, link and record checks). `data` is an
 * object even when there is nothing in it (Core/Exceptions/Error/Body::encode casts it with `(object)`).
 */
export function messageTranslation(label: string, data: Record<string, unknown> = {}) {
  return { messageTranslation: { label, scope: null, data } };
}

/** 400 with EspoCRM's validation-failure body; only the first failing field is reported, as EspoCRM does. */
export class ValidationFailure extends BadRequest {
  constructor(
    readonly entityType: string,
    readonly field: string,
    readonly type: string,
  ) {
    super(
      `Field validation failure; entityType: ${entityType}, field: ${field}, type: ${type}.`,
      messageTranslation('validationFailure', { field, type }),
    );
  }
}

/** A setting that cannot be used (the command line reports it as a usage error). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
