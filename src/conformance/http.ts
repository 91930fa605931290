/**
 * The kit's HTTP layer: builds requests exactly as EspoCRM's official clients do (PHP bracket query or one
 * `searchParams` JSON parameter, every authentication scheme, via the typed client's serializers and
 * signer), sends them with `fetch`, and records the whole exchange so every finding can name the request
 * and be replayed with curl.
 */
import { createRequestSigner, type EspoAuth } from '../client/auth.js';
import { resolveApiRoot, type ApiRoot } from '../client/base-url.js';
import { hmacMessage } from '../client/hmac.js';
import { phpQuerySerializer, searchParamsQuerySerializer, type QueryParams } from '../client/query-serializer.js';

export type QueryStyle = 'php' | 'searchParams';

export interface HttpRequest {
  method: string;
  /** Path below the API root with parameters filled in, e.g. `/Account/6a1b…`. */
  path: string;
  query?: QueryParams;
  /** How `query` goes on the wire (default `php`, the PHP client's bracket form). */
  queryStyle?: QueryStyle;
  /** A query string sent as it is (no leading `?`); wins over `query`. */
  rawQuery?: string;
  /** A JSON body (serialised with `JSON.stringify`, `Content-Type: application/json`). */
  json?: unknown;
  /** A body sent byte for byte (with `contentType`, default `application/json`). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Credentials: the run's (default), others, or `null` for none. */
  auth?: EspoAuth | null;
}

export interface RecordedRequest {
  method: string;
  url: string;
  /** Path plus query below the API root, for messages: `GET /Account?maxSize=1`. */
  display: string;
  headers: Record<string, string>;
  body?: string;
  /** The credentials are the run's own: curl takes them from the environment instead of printing them. */
  runCredentials: boolean;
}

export interface RecordedResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
  /** The parsed JSON body; `undefined` when the body is empty or not JSON. */
  json?: unknown;
  /** Set when the body is not empty and not valid JSON. */
  parseError?: string;
}

export interface Exchange {
  request: RecordedRequest;
  response: RecordedResponse;
  durationMs: number;
}

/** The network failed (connection refused, timeout, abort): no response to check. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly request: RecordedRequest,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/**
 * EspoCRM's login lockout (Authentication\Hook\Hooks\FailedAttemptsLimit): more than
 * `authMaxFailedAttemptNumber` (10) refused logins from one address within `authFailedAttemptsPeriod`
 * (60 seconds) and every request from that address, valid credentials included, answers 403 with an empty
 * body, PHP's `text/html; charset=UTF-8` and no `X-Status-Reason` until the refusals age out of the period.
 */
export const ESPO_LOCKOUT = { maxFailedAttempts: 10, periodMs: 60_000 } as const;

/** The kit's own ceiling of refused logins within EspoCRM's period: reaching it stops the run. */
export const REFUSED_LOGIN_LIMIT = 6;
/** Of those, how many the wrong-credential checks may spend on purpose (a run with HMAC needs 4). */
export const DELIBERATE_REFUSALS = 4;

/** The run cannot go on: the server blocked this address, or the kit stopped before it would. */
export class RunStopped extends Error {
  constructor(
    message: string,
    /** `lockout`: the server blocks every request, send nothing more; `refused-logins`: cleanup may still run. */
    readonly kind: 'lockout' | 'refused-logins',
  ) {
    super(message);
    this.name = 'RunStopped';
  }
}

/**
 * Counts refused logins (401 to a request that carried credentials) over EspoCRM's period, shared by the
 * run's transport and its cleanup transport, and remembers when the run was stopped.
 */
export class LoginGuard {
  private readonly refusals: number[] = [];
  deliberate = 0;
  stopped?: RunStopped;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Refused logins within the last period. */
  recent(): number {
    const since = this.now() - ESPO_LOCKOUT.periodMs;
    while (this.refusals.length && this.refusals[0]! <= since) this.refusals.shift();
    return this.refusals.length;
  }

  noteRefused(): void {
    this.refusals.push(this.now());
  }

  /** May a check send wrong credentials on purpose? Spends one of the deliberate refusals when it may. */
  spendDeliberate(): boolean {
    if (this.deliberate >= DELIBERATE_REFUSALS || this.recent() + 1 >= REFUSED_LOGIN_LIMIT) return false;
    this.deliberate++;
    return true;
  }
}

/** EspoCRM's answer to a blocked address: 403, PHP's text/html, empty body, no X-Status-Reason. */
export function isLockoutShape(response: RecordedResponse): boolean {
  return (
    response.status === 403 &&
    response.text === '' &&
    response.headers['x-status-reason'] === undefined &&
    (response.headers['content-type'] ?? '').replace(/\s+/g, '').toLowerCase().startsWith('text/html')
  );
}

export function lockoutMessage(guard: LoginGuard): string {
  return (
    `the server blocked this address: a request with valid credentials answered 403 with an empty text/html body and no ` +
    `X-Status-Reason, which is EspoCRM's login lockout (more than ${ESPO_LOCKOUT.maxFailedAttempts} refused logins from one ` +
    `address within ${ESPO_LOCKOUT.periodMs / 1000} s; config authMaxFailedAttemptNumber and authFailedAttemptsPeriod). ` +
    `The run stopped and sent nothing more: no shrinking, no cleanup. This run saw ${guard.recent()} refused login(s) in the ` +
    `last minute; others from this address (another run, a browser, another client) count too. Wait a minute, then run ` +
    `the kit again; records named after this run's marker may remain.`
  );
}

export interface TransportOptions {
  baseUrl: string;
  auth: EspoAuth;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  /** Shared between the run's transport and its cleanup transport. */
  guard?: LoginGuard;
}

const CREDENTIAL_HEADERS = ['x-api-key', 'x-hmac-authorization', 'espo-authorization', 'authorization'];

export class Transport {
  readonly root: ApiRoot;
  readonly auth: EspoAuth;
  private readonly signers = new Map<EspoAuth, ReturnType<typeof createRequestSigner>>();
  private readonly fetchImpl: typeof globalThis.fetch;
  requestCount = 0;
  readonly guard: LoginGuard;

  constructor(private readonly options: TransportOptions) {
    this.root = resolveApiRoot(options.baseUrl);
    this.auth = options.auth;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.guard = options.guard ?? new LoginGuard();
  }

  /** The same transport without the run's abort signal (cleanup must still run after Ctrl-C). */
  detached(): Transport {
    const transport = new Transport({ ...this.options, signal: undefined, guard: this.guard });
    transport.cleanup = true;
    return transport;
  }

  /** The cleanup transport: it may still send after the kit stopped for refused logins (not after a lockout). */
  private cleanup = false;

  url(path: string, queryString: string): string {
    return `${this.root.url}${path}${queryString ? `?${queryString}` : ''}`;
  }

  queryString(request: HttpRequest): string {
    if (request.rawQuery !== undefined) return request.rawQuery;
    if (!request.query) return '';
    return request.queryStyle === 'searchParams' ? searchParamsQuerySerializer(request.query) : phpQuerySerializer(request.query);
  }

  async send(request: HttpRequest): Promise<Exchange> {
    const stopped = this.guard.stopped;
    if (stopped && (stopped.kind === 'lockout' || !this.cleanup)) throw stopped;
    const exchange = await this.sendOnce(request);
    const { response } = exchange;
    const credentials = Object.keys(exchange.request.headers).some((name) => CREDENTIAL_HEADERS.includes(name.toLowerCase()));
    if (response.status === 401 && credentials) {
      this.guard.noteRefused();
      // The cleanup may use the margin up to EspoCRM's limit; the checks stop at the kit's own ceiling.
      const ceiling = this.cleanup ? ESPO_LOCKOUT.maxFailedAttempts - 1 : REFUSED_LOGIN_LIMIT;
      if (this.guard.recent() >= ceiling) {
        this.guard.stopped = new RunStopped(
          `the server refused ${this.guard.recent()} logins within ${ESPO_LOCKOUT.periodMs / 1000} s (the last: ${exchange.request.display} answered 401); ` +
            `the kit stopped before EspoCRM's login lockout (more than ${ESPO_LOCKOUT.maxFailedAttempts} within ${ESPO_LOCKOUT.periodMs / 1000} s blocks the address). ` +
            `If the run's own credentials were refused, check them (and, for HMAC, the signed path).`,
          this.cleanup ? 'lockout' : 'refused-logins',
        );
        throw this.guard.stopped;
      }
    }
    if (isLockoutShape(response) && credentials) {
      // One probe with the run's credentials tells a lockout from an ordinary refusal of this request.
      const probe = await this.sendOnce({ method: 'GET', path: '/Account', query: { maxSize: 1, select: ['id'] } });
      if (isLockoutShape(probe.response)) {
        this.guard.stopped = new RunStopped(lockoutMessage(this.guard), 'lockout');
        throw this.guard.stopped;
      }
    }
    return exchange;
  }

  private async sendOnce(request: HttpRequest): Promise<Exchange> {
    const queryString = this.queryString(request);
    const url = this.url(request.path, queryString);
    const headers = new Headers(request.headers);
    let body: string | undefined;
    if (request.rawBody !== undefined) {
      body = request.rawBody;
      if (!headers.has('content-type')) headers.set('Content-Type', request.contentType ?? 'application/json');
    } else if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
    }
    const outgoing = new Request(url, { method: request.method, headers, body });
    const auth = request.auth === undefined ? this.auth : request.auth;
    if (auth) await this.signer(auth)(outgoing);
    const recorded: RecordedRequest = {
      method: request.method.toUpperCase(),
      url,
      display: `${request.method.toUpperCase()} ${request.path}${queryString ? `?${queryString}` : ''}`,
      headers: headerRecord(outgoing.headers),
      runCredentials: request.auth === undefined,
      ...(body !== undefined ? { body } : {}),
    };
    const signals = [AbortSignal.timeout(this.options.timeoutMs ?? 30_000)];
    if (this.options.signal) signals.push(this.options.signal);
    const started = performance.now();
    this.requestCount++;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(outgoing, { signal: AbortSignal.any(signals) });
      text = await response.text();
    } catch (error) {
      if (this.options.signal?.aborted) throw this.options.signal.reason ?? error;
      const reason = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      throw new TransportError(`${recorded.display}: ${reason}`, recorded, error);
    }
    const durationMs = performance.now() - started;
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value;
    });
    const recordedResponse: RecordedResponse = { status: response.status, headers: responseHeaders, text };
    if (text !== '') {
      try {
        recordedResponse.json = JSON.parse(text);
      } catch (error) {
        recordedResponse.parseError = error instanceof Error ? error.message : String(error);
      }
    }
    return { request: recorded, response: recordedResponse, durationMs };
  }

  private signer(auth: EspoAuth) {
    let signer = this.signers.get(auth);
    if (!signer) {
      signer = createRequestSigner(auth, this.root);
      this.signers.set(auth, signer);
    }
    return signer;
  }
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** Shell single-quoting. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command that replays the request. Credentials are not printed: they come from the environment
 * (`ESPO_API_KEY`, `ESPO_SECRET_KEY`, `ESPO_USERNAME`, `ESPO_PASSWORD`), and an HMAC signature is
 * recomputed by the shell with openssl.
 */
export function toCurl(request: RecordedRequest, root: ApiRoot): string {
  const parts = ['curl', '-sS', '-i', '--globoff'];
  if (request.method !== 'GET') parts.push('-X', request.method);
  parts.push(shellQuote(request.url));
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue;
    if (!CREDENTIAL_HEADERS.includes(lower) || !request.runCredentials) {
      parts.push('-H', shellQuote(`${canonicalHeader(name)}: ${value}`));
      continue;
    }
    parts.push('-H', credentialHeader(lower, value, request, root));
  }
  if (request.body !== undefined) parts.push('--data-binary', shellQuote(request.body));
  return parts.join(' ');
}

function credentialHeader(lower: string, value: string, request: RecordedRequest, root: ApiRoot): string {
  switch (lower) {
    case 'x-api-key':
      return `"X-Api-Key: $ESPO_API_KEY"`;
    case 'x-hmac-authorization': {
      const path = new URL(request.url).pathname;
      const resource = path.startsWith(`${root.path}/`) ? path.slice(root.path.length) : path;
      // The same normalised path the signer used (EspoCRM percent-encodes ' ( ) * ! before verifying).
      const message = hmacMessage(request.method, resource);
      return (
        `"X-Hmac-Authorization: $(printf '%s:%s' "$ESPO_API_KEY" "$(printf '%s' ${shellQuote(message)} ` +
        `| openssl dgst -sha256 -hmac "$ESPO_SECRET_KEY" | sed 's/^.* //')" | base64 -w0)"`
      );
    }
    case 'espo-authorization':
      return `"Espo-Authorization: $(printf '%s:%s' "$ESPO_USERNAME" "$ESPO_PASSWORD" | base64 -w0)"`;
    default:
      return value.startsWith('Basic ')
        ? `"Authorization: Basic $(printf '%s:%s' "$ESPO_USERNAME" "$ESPO_PASSWORD" | base64 -w0)"`
        : shellQuote(`Authorization: ${value}`);
  }
}

function canonicalHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
}
