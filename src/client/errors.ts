/**
 * One place for everything EspoCRM says about a failed request. EspoCRM puts the reason in the
 * `X-Status-Reason` header and sends a JSON body only for a few errors, so openapi-fetch's `error`
 * is often `undefined` (or `""`) and cannot be the only thing callers look at.
 */

/** The body-based kinds of error EspoCRM sends (Exceptions/Error/Body.php, Service::processDuplicateCheck, OptimisticProcessor). */
export type EspoErrorDetail =
  /** 400: the first field that failed validation and the validator that failed (`required`, `maxLength`, …). */
  | { readonly kind: 'validationFailure'; readonly field: string; readonly type: string }
  /** 409 `duplicate`: up to five existing records that look like the one being created. */
  | { readonly kind: 'duplicate'; readonly records: readonly Readonly<Record<string, unknown>>[] }
  /** 409 `modified`: the record changed since the `X-Version-Number` sent; current values and version. */
  | { readonly kind: 'modified'; readonly values: Readonly<Record<string, unknown>>; readonly versionNumber: number }
  /** Any other `messageTranslation` body (`noAccessToRecord`, `cannotModifyLockedRecord`, …). */
  | {
      readonly kind: 'messageTranslation';
      readonly label: string;
      readonly scope: string | null;
      readonly data: Readonly<Record<string, unknown>> | null;
    }
  /** No body (EspoCRM's usual error), or a body of no known shape (see `body` / `text`). */
  | { readonly kind: 'none' }
  | { readonly kind: 'unknown' };

export interface EspoErrorInfo<E = unknown> {
  readonly status: number;
  /** `X-Status-Reason`: `null` when the header is absent, `''` when EspoCRM sent it empty. */
  readonly reason: string | null;
  /** The JSON error body as typed by the spec, or `undefined` when there was none. */
  readonly body: E | undefined;
  /** A body that was not JSON (e.g. an HTML error page from the web server), else `undefined`. */
  readonly text: string | undefined;
  readonly detail: EspoErrorDetail;
  readonly response: Response;
}

/** openapi-fetch's result, success or failure. */
export interface FetchResult<D, E> {
  readonly data?: D;
  readonly error?: E;
  readonly response: Response;
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nullableObject(value: unknown): JsonObject | null {
  return isObject(value) ? value : null;
}

/** Reads the kind of error from the body alone; the status only guards the 409 shapes. */
export function classifyErrorBody(status: number, body: unknown): EspoErrorDetail {
  if (body === undefined) return { kind: 'none' };
  if (status === 409 && Array.isArray(body) && body.every(isObject)) return { kind: 'duplicate', records: body };
  if (status === 409 && isObject(body) && isObject(body['values']) && typeof body['versionNumber'] === 'number') {
    return { kind: 'modified', values: body['values'], versionNumber: body['versionNumber'] };
  }
  const translation = isObject(body) ? body['messageTranslation'] : undefined;
  if (isObject(translation) && typeof translation['label'] === 'string') {
    const data = nullableObject(translation['data']);
    if (translation['label'] === 'validationFailure' && typeof data?.['field'] === 'string' && typeof data['type'] === 'string') {
      return { kind: 'validationFailure', field: data['field'], type: data['type'] };
    }
    const scope = typeof translation['scope'] === 'string' ? translation['scope'] : null;
    return { kind: 'messageTranslation', label: translation['label'], scope, data };
  }
  return { kind: 'unknown' };
}

/**
 * Everything about a failed openapi-fetch call, or `undefined` when it succeeded. openapi-fetch
 * parses an error body as JSON when it can and otherwise leaves the text, which is `""` when the
 * response had no body but also no `Content-Length: 0`.
 */
export function espoError<D, E>(result: FetchResult<D, E>): EspoErrorInfo<E> | undefined {
  const { response } = result;
  if (response.ok) return undefined;
  const raw: unknown = result.error;
  const text = typeof raw === 'string' && raw !== '' ? raw : undefined;
  const body = typeof raw === 'string' ? undefined : result.error;
  return {
    status: response.status,
    reason: response.headers.get('X-Status-Reason'),
    body,
    text,
    detail: text === undefined ? classifyErrorBody(response.status, body) : { kind: 'unknown' },
    response,
  };
}

/** Thrown by `unwrap` and the paging iterators; carries the same fields as `espoError`. */
export class EspoApiError<E = unknown> extends Error implements EspoErrorInfo<E> {
  readonly status: number;
  readonly reason: string | null;
  readonly body: E | undefined;
  readonly text: string | undefined;
  readonly detail: EspoErrorDetail;
  readonly response: Response;

  constructor(info: EspoErrorInfo<E>) {
    const where = info.response.url ? ` (${info.response.url})` : '';
    super(`EspoCRM answered ${info.status}${info.reason ? `: ${info.reason}` : ''}${where}`);
    this.name = 'EspoApiError';
    this.status = info.status;
    this.reason = info.reason;
    this.body = info.body;
    this.text = info.text;
    this.detail = info.detail;
    this.response = info.response;
  }
}

/**
 * The data of a successful call, or an `EspoApiError`: for code that prefers exceptions to
 * branching on `{ data, error }`.
 */
export function unwrap<R extends FetchResult<unknown, unknown>>(result: R): Exclude<R['data'], undefined> {
  const failure = espoError(result);
  if (failure) throw new EspoApiError<R['error']>(failure as EspoErrorInfo<R['error']>);
  // openapi-fetch types `data` as the success body; it is `undefined` only on the error branch.
  return result.data as Exclude<R['data'], undefined>;
}
