/**
 * Known differences of a real EspoCRM 9.x/10.x from the contract, one named rule each (docs/deviations.md).
 * A check that provokes one of these inputs lists the rules that may apply; when the response matches, the
 * kit reports a *deviation* instead of a failure, unless `--strict`.
 */
import type { Exchange } from './http.js';

export interface DeviationRule {
  id: string;
  title: string;
  /** What EspoCRM does. */
  espocrm: string;
  /** What the contract (and the reference server) does. */
  contract: string;
  /** Where it is written down. */
  reference: string;
  /** Whether this response is the EspoCRM behaviour the rule describes. */
  matches(exchange: Exchange): boolean;
}

const status =
  (...codes: number[]) =>
  (exchange: Exchange) =>
    codes.includes(exchange.response.status);

const DEVIATIONS_MD = 'docs/deviations.md';

export const DEVIATION_RULES = {
  'malformed-json-500': {
    id: 'malformed-json-500',
    title: 'Malformed JSON request body answers 500',
    espocrm: '500 with an empty body (JsonException is not mapped)',
    contract: '400 with X-Status-Reason',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    matches: status(500),
  },
  'malformed-where-500': {
    id: 'malformed-where-500',
    title: 'Malformed where item (no type, no attribute, unknown key) answers 500',
    espocrm: '500 with an empty body (InvalidArgumentException from Where\\Item::fromRaw)',
    contract: '400 with X-Status-Reason',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    matches: status(500),
  },
  'negative-paging-500': {
    id: 'negative-paging-500',
    title: 'Negative maxSize or offset answers 500',
    espocrm: '500 (the value reaches SQL)',
    contract: '400',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    matches: status(500),
  },
  'search-params-scalar-500': {
    id: 'search-params-scalar-500',
    title: 'searchParams that is a JSON scalar answers 500 (HTML error page)',
    espocrm: "500 with Slim's HTML error page (PHP TypeError)",
    contract: '400 Invalid search params JSON.',
    reference: `${DEVIATIONS_MD} § Malformed input: 400 instead of 500`,
    matches: status(500),
  },
  'search-params-array-ignored': {
    id: 'search-params-array-ignored',
    title: 'searchParams that is a JSON array is treated as no parameters',
    espocrm: '200 with the default list',
    contract: '400 Invalid search params JSON. (the contract says object)',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    matches: status(200),
  },
  'wrong-json-type-coerced': {
    id: 'wrong-json-type-coerced',
    title: 'A JSON value of the wrong type for an attribute is coerced',
    espocrm: '200: the value is coerced (strval, intval, …) and saved',
    contract: '400 validation failure, type `valid`',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    matches: status(200),
  },
  'max-size-not-integer-ignored': {
    id: 'max-size-not-integer-ignored',
    title: 'A maxSize that is not an integer is read with intval()',
    espocrm: "200 (`abc` → 0, an empty page; `1.5` → 1), or 403 when intval gives more than 200 (`1e3`)",
    contract: '400',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    matches: status(200, 403),
  },
  'order-upper-case-accepted': {
    id: 'order-upper-case-accepted',
    title: 'order=ASC (upper case) is accepted',
    espocrm: '200 (the value is upper-cased)',
    contract: "400 (the contract's enum is asc/desc)",
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    matches: status(200),
  },
  'non-json-body-ignored': {
    id: 'non-json-body-ignored',
    title: 'A request body with a content type other than application/json is ignored',
    espocrm: 'the body is treated as {} (an update answers 200 and changes nothing)',
    contract: '400 Content-Type must be application/json.',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    matches: status(200),
  },
  'array-body-wrapped': {
    id: 'array-body-wrapped',
    title: 'A JSON array as an update body is wrapped as {"list": […]}',
    espocrm: '200 (the array becomes an unknown attribute `list`, ignored)',
    contract: '400 Body is not a JSON object.',
    reference: `${DEVIATIONS_MD} § Contract is stricter than EspoCRM's lenient parsing`,
    matches: status(200),
  },
  'not-on-date-time-unconverted': {
    id: 'not-on-date-time-unconverted',
    title: 'notOn with dateTime: true is not converted to a day range',
    espocrm:
      'every record matches: DefaultDateTimeItemTransformer has no notOn case, so the date-only value is compared with the date-time column as it is',
    contract: 'records not created on that day (the complement of on)',
    reference: 'EspoCRM source application/Espo/Core/Select/Where/DefaultDateTimeItemTransformer.php (not yet in docs/deviations.md)',
    matches: status(200),
  },
  'array-where-on-non-array-field': {
    id: 'array-where-on-non-array-field',
    title: 'An array condition (arrayAnyOf, …) on an attribute that is not an array matches nothing instead of failing',
    espocrm: '200 with no records: the condition becomes a sub-query on ArrayValue, which holds nothing for the attribute',
    contract: '400 (WhereType: "Account has no array field, so they answer 400 there")',
    reference: 'EspoCRM source application/Espo/Core/Select/Where/ItemGeneralConverter.php::groupProcessArray (not yet in docs/deviations.md)',
    matches: status(200),
  },
  'basic-auth-not-forwarded': {
    id: 'basic-auth-not-forwarded',
    title: 'Standard Authorization: Basic is not passed through to EspoCRM',
    espocrm: "401 when the web server does not forward the Authorization header to PHP (EspoCRM's .htaccess rewrite handles it on Apache)",
    contract: '200 for valid user credentials',
    reference: 'openapi/description.md § Authentication (BasicAuth); a web server setting rather than an EspoCRM difference',
    matches: status(401),
  },
} as const satisfies Record<string, DeviationRule>;

export type DeviationRuleId = keyof typeof DEVIATION_RULES;

export const ALL_DEVIATION_RULES: readonly DeviationRule[] = Object.values(DEVIATION_RULES);
