/**
 * Known differences of a real EspoCRM 9.x/10.x from the contract, one named rule each (docs/deviations.md).
 * A check that provokes one of these inputs lists the rules that may apply; when the response has exactly
 * the shape EspoCRM gives (status, Content-Type, body, headers), the kit reports a *deviation* instead of a
 * failure, unless `--strict`. A response that only shares the status (an HTML "Fatal error" where EspoCRM
 * sends an empty body, a 401 that is not EspoCRM's "no credentials arrived" answer) is not excused.
 * A matched rule excuses only what it describes: the response's other contract problems (a 200 body of
 * the wrong type) are still failures.
 */
import type { ContractProblem } from './contract.js';
import type { Exchange } from './http.js';

/** One response shape EspoCRM gives. */
export interface ResponseShape {
  status: readonly number[];
  /** Content-Type values, compared without case and spaces (`text/html;charset=utf-8`). */
  contentType: readonly string[];
  /**
   * `empty`: no body; `json`: a JSON body (the contract's schema still applies); `slim-error-page`: Slim's
   * HTML error page (title "Slim Application Error"), which EspoCRM sends for unhandled PHP errors.
   */
  body: 'empty' | 'json' | 'slim-error-page';
  /** `X-Status-Reason`: must be absent, must be present (any value), or either. */
  statusReason: 'absent' | 'present' | 'any';
  /** Headers that must be present, with these values (names in lower case). */
  headers?: Readonly<Record<string, string>>;
}

export interface DeviationRule {
  id: string;
  title: string;
  /** What EspoCRM does. */
  espocrm: string;
  /** What the contract (and the reference server) does. */
  contract: string;
  /** Where it is written down. */
  reference: string;
  /** The shapes of EspoCRM's response (any one of them). */
  shapes: readonly ResponseShape[];
  /** Whether this response is the EspoCRM behaviour the rule describes (it has one of `shapes`). */
  matches(exchange: Exchange): boolean;
  /**
   * Whether the rule excuses one contract problem of a matching response: the status itself when the
   * contract does not document it, and the Content-Type and body when EspoCRM's shape is not JSON.
   * Schema problems of a JSON body are never excused.
   */
  excuses(problem: ContractProblem, exchange: Exchange): boolean;
}

const normalise = (value: string | undefined) => (value ?? '').replace(/\s+/g, '').toLowerCase();

export function hasShape(exchange: Exchange, shape: ResponseShape): boolean {
  const { response } = exchange;
  if (!shape.status.includes(response.status)) return false;
  const type = normalise(response.headers['content-type']);
  if (!shape.contentType.some((allowed) => normalise(allowed) === type)) return false;
  const reason = response.headers['x-status-reason'];
  if (shape.statusReason === 'absent' && reason !== undefined) return false;
  if (shape.statusReason === 'present' && reason === undefined) return false;
  for (const [name, value] of Object.entries(shape.headers ?? {})) {
    if (response.headers[name] !== value) return false;
  }
  switch (shape.body) {
    case 'empty':
      return response.text === '';
    case 'json':
      return response.text !== '' && response.parseError === undefined;
    case 'slim-error-page':
      return /<title>\s*Slim Application Error\s*<\/title>/i.test(response.text);
  }
}

function rule(fields: Omit<DeviationRule, 'matches' | 'excuses'>): DeviationRule {
  return {
    ...fields,
    matches: (exchange) => fields.shapes.some((shape) => hasShape(exchange, shape)),
    excuses(problem, exchange) {
      const shape = fields.shapes.find((s) => hasShape(exchange, s));
      if (!shape) return false;
      if (problem.aspect === 'status') return true;
      return shape.body !== 'json' && (problem.aspect === 'content-type' || problem.aspect === 'body');
    },
  };
}

// PHP's default Content-Type, which EspoCRM's error output and authentication answers keep.
const PHP_HTML = 'text/html; charset=UTF-8';
const JSON_TYPE = 'application/json';

/** An exception EspoCRM's error output does not map (no reason header, no body). */
const EMPTY_500: ResponseShape = { status: [500], contentType: [JSON_TYPE, PHP_HTML], body: 'empty', statusReason: 'absent' };
/** A PHP error (TypeError) that reaches Slim's error handler. */
const SLIM_500: ResponseShape = { status: [500], contentType: [PHP_HTML, 'text/html'], body: 'slim-error-page', statusReason: 'absent' };
/** An ordinary success: the contract's schema applies. */
const OK_JSON: ResponseShape = { status: [200], contentType: [JSON_TYPE], body: 'json', statusReason: 'absent' };

const DEVIATIONS_MD = 'docs/deviations.md';

export const DEVIATION_RULES = {
  'malformed-json-500': rule({
    id: 'malformed-json-500',
    title: 'Malformed JSON request body answers 500',
    espocrm: '500 with an empty body (JsonException is not mapped)',
    contract: '400 with X-Status-Reason',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    shapes: [EMPTY_500],
  }),
  'malformed-where-500': rule({
    id: 'malformed-where-500',
    title: 'Malformed where item (no type, no attribute, unknown key) answers 500',
    espocrm: '500 with an empty body (InvalidArgumentException from Where\\Item::fromRaw)',
    contract: '400 with X-Status-Reason',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    shapes: [EMPTY_500],
  }),
  'negative-paging-500': rule({
    id: 'negative-paging-500',
    title: 'Negative maxSize or offset answers 500',
    espocrm: '500 (the value reaches SQL)',
    contract: '400',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    shapes: [EMPTY_500],
  }),
  'search-params-scalar-500': rule({
    id: 'search-params-scalar-500',
    title: 'searchParams that is a JSON scalar answers 500 (HTML error page)',
    espocrm: "500 with Slim's HTML error page (PHP TypeError)",
    contract: '400 Invalid search params JSON.',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    shapes: [SLIM_500],
  }),
  'search-params-array-ignored': rule({
    id: 'search-params-array-ignored',
    title: 'searchParams that is a JSON array is treated as no parameters',
    espocrm: '200 with the default list',
    contract: '400 Invalid search params JSON. (the contract says object)',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    shapes: [OK_JSON],
  }),
  'wrong-json-type-coerced': rule({
    id: 'wrong-json-type-coerced',
    title: 'A JSON value of the wrong type for an attribute is coerced',
    espocrm: '200: the value is coerced (strval, intval, …) and saved',
    contract: '400 validation failure, type `valid`',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    shapes: [OK_JSON],
  }),
  'max-size-not-integer-ignored': rule({
    id: 'max-size-not-integer-ignored',
    title: 'A maxSize that is not an integer is read with intval()',
    espocrm: "200 (`abc` → 0, an empty page; `1.5` → 1), or 403 when intval gives more than 200 (`1e3`)",
    contract: '400',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    shapes: [OK_JSON, { status: [403], contentType: [JSON_TYPE], body: 'empty', statusReason: 'present' }],
  }),
  'order-upper-case-accepted': rule({
    id: 'order-upper-case-accepted',
    title: 'order=ASC (upper case) is accepted',
    espocrm: '200 (the value is upper-cased)',
    contract: "400 (the contract's enum is asc/desc)",
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    shapes: [OK_JSON],
  }),
  'non-json-body-ignored': rule({
    id: 'non-json-body-ignored',
    title: 'A request body with a content type other than application/json is ignored',
    espocrm: 'the body is treated as {} (an update answers 200 and changes nothing)',
    contract: '400 Content-Type must be application/json.',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    shapes: [OK_JSON],
  }),
  'array-body-wrapped': rule({
    id: 'array-body-wrapped',
    title: 'A JSON array as an update body is wrapped as {"list": […]}',
    espocrm: '200 (the array becomes an unknown attribute `list`, ignored)',
    contract: '400 Body is not a JSON object.',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    shapes: [OK_JSON],
  }),
  'not-on-date-time-unconverted': rule({
    id: 'not-on-date-time-unconverted',
    title: 'notOn with dateTime: true is not converted to a day range',
    espocrm:
      'every record matches: DefaultDateTimeItemTransformer has no notOn case, so the date-only value is compared with the date-time column as it is',
    contract: 'records not created on that day (the complement of on)',
    reference: `${DEVIATIONS_MD} § Search details`,
    shapes: [OK_JSON],
  }),
  'array-where-on-non-array-field': rule({
    id: 'array-where-on-non-array-field',
    title: 'An array condition (arrayAnyOf, …) on an attribute that is not an array matches nothing instead of failing',
    espocrm: '200 with no records: the condition becomes a sub-query on ArrayValue, which holds nothing for the attribute',
    contract: '400 (WhereType: "Account has no array field, so they answer 400 there")',
    reference: `${DEVIATIONS_MD} § Search details`,
    shapes: [OK_JSON],
  }),
  'bool-bracket-computed-500': rule({
    id: 'bool-bracket-computed-500',
    title: "equals with the bracket value 1 on a computed email/phone flag answers 500",
    espocrm:
      '500 with an empty body: equals on emailAddressIsOptedOut, emailAddressIsInvalid, phoneNumberIsOptedOut or phoneNumberIsInvalid with the string 1 becomes SQL on a column that does not exist; JSON true and isTrue/isFalse work',
    contract: '200 with the matching records (the reference server reads 1 as true for a boolean attribute)',
    reference: `${DEVIATIONS_MD} § Search details; openapi/description.md § Search parameters`,
    shapes: [EMPTY_500],
  }),
  'phone-number-not-string-500': rule({
    id: 'phone-number-not-string-500',
    title: 'phoneNumber sent as an object or array answers 500',
    espocrm: "500 with Slim's HTML error page (PHP TypeError in the phone number sanitizer); emailAddress: {} answers 400",
    contract: '400 validation failure',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    shapes: [SLIM_500],
  }),
  'basic-auth-not-forwarded': rule({
    id: 'basic-auth-not-forwarded',
    title: 'Standard Authorization: Basic is not passed through to EspoCRM',
    espocrm: "401 when the web server does not forward the Authorization header to PHP (EspoCRM's .htaccess rewrite handles it on Apache)",
    contract: '200 for valid user credentials',
    reference: 'openapi/description.md § Authentication (BasicAuth); a web server setting rather than an EspoCRM difference',
    // EspoCRM saw no credentials at all: the answer to a GET without them carries the Basic challenge. A 401
    // without it means the credentials arrived and were refused, which is a failure.
    shapes: [{ status: [401], contentType: [PHP_HTML], body: 'empty', statusReason: 'absent', headers: { 'www-authenticate': 'Basic realm=""' } }],
  }),
} as const satisfies Record<string, DeviationRule>;

export type DeviationRuleId = keyof typeof DEVIATION_RULES;

export const ALL_DEVIATION_RULES: readonly DeviationRule[] = Object.values(DEVIATION_RULES);
