/**
 * fast-check arbitraries derived from the contract's schemas: valid Account bodies (from
 * `AccountAttributes`, with the few rules the schema cannot express — a website needs a dot, an email
 * address must be one, referenced IDs must exist), one-defect mutations of them, and search parameters
 * from a where grammar over the Account attributes (plus malformed variants).
 */
import fc from 'fast-check';
import { resolveRef, type OpenApiDocument } from '../../spec/bundle.js';

type Schema = Record<string, unknown>;
export type Body = Record<string, unknown>;

/** Characters that exercise encoding and escaping: mostly printable ASCII, some Unicode, some troublemakers. */
export const textUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '&', '%', '+', '=', '[', ']', '#', '?', '"', "'", '\\', '/', '*', '_', '\n', '\t', 'é', '😀') },
);

const codePoints = (s: string) => Array.from(s);
const truncate = (s: string, max: number) => codePoints(s).slice(0, max).join('');

function text(maxLength: number, minLength = 0, pattern?: string): fc.Arbitrary<string> {
  if (pattern && pattern !== '^[^<>=]*$') {
    return fc.stringMatching(new RegExp(pattern), { maxLength }).map((s) => truncate(s, maxLength)).filter((s) => codePoints(s).length >= minLength);
  }
  const base = fc.string({ unit: textUnit, minLength, maxLength: Math.min(maxLength, 60) });
  return pattern ? base.map((s) => s.replace(/[<>=]/g, '')).filter((s) => codePoints(s).length >= minLength) : base;
}

/** A schema → arbitrary for the JSON Schema subset the contract uses (type, enum, anyOf, $ref, arrays, objects). */
export function fromSchema(doc: OpenApiDocument, raw: unknown, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveRef<Schema>(doc, raw) ?? {};
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as unknown[]));
  if ('const' in schema) return fc.constant(schema['const']);
  if (Array.isArray(schema['anyOf'])) return fc.oneof(...(schema['anyOf'] as unknown[]).map((s) => fromSchema(doc, s, depth + 1)));
  if (Array.isArray(schema['allOf'])) {
    const parts = (schema['allOf'] as unknown[]).map((s) => resolveRef<Schema>(doc, s));
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of [...parts, schema]) {
      Object.assign(merged['properties'] as Schema, (part['properties'] as Schema | undefined) ?? {});
      (merged['required'] as string[]).push(...((part['required'] as string[] | undefined) ?? []));
    }
    return fromSchema(doc, merged, depth + 1);
  }
  const types = Array.isArray(schema['type']) ? (schema['type'] as string[]) : [String(schema['type'] ?? 'string')];
  const options = types.map((type) => {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({ min: (schema['minimum'] as number | undefined) ?? -1000, max: (schema['maximum'] as number | undefined) ?? 1_000_000 });
      case 'number':
        return fc.double({ min: (schema['minimum'] as number | undefined) ?? -1e6, max: (schema['maximum'] as number | undefined) ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case 'array':
        return fc.array(fromSchema(doc, schema['items'], depth + 1), { maxLength: Math.min((schema['maxItems'] as number | undefined) ?? 3, 3) });
      case 'object': {
        const properties = (schema['properties'] as Schema | undefined) ?? {};
        const required = new Set((schema['required'] as string[] | undefined) ?? []);
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, value] of Object.entries(properties)) model[key] = fromSchema(doc, value, depth + 1);
        return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
      }
      default:
        return text((schema['maxLength'] as number | undefined) ?? 255, (schema['minLength'] as number | undefined) ?? 0, schema['pattern'] as string | undefined);
    }
  });
  return options.length === 1 ? options[0]! : fc.oneof(...options);
}

export interface AccountFuzzContext {
  doc: OpenApiDocument;
  /** `conformance-<runId>` */
  marker: string;
  meId?: string;
}

const emailArb = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }), fc.stringMatching(/^[a-z0-9]{1,12}$/))
  .map(([local, dotted, domain]) => `${local}${dotted ? `.${dotted}` : ''}@${domain}.conformance.example`);

/**
 * Phone numbers that are valid whatever the server's phone settings: EspoCRM validates with libphonenumber
 * when `phoneNumberInternational` is on, so arbitrary digit strings would be rejected there. These are
 * UK numbers of Ofcom's range for fiction (020 7946 0000–0999), written the ways people write them.
 */
const phoneArb = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom('+44 20 7946 %', '+442079460%', '+44 (20) 7946-0%', '+44.20.7946.0%'))
  .map(([n, format]) => format.replace('%', String(n).padStart(format.endsWith('0%') ? 3 : 4, '0')));

const websiteArb = fc.tuple(fc.constantFrom('', 'http://', 'https://'), fc.domain(), fc.constantFrom('', '/', '/path')).map(([scheme, host, path]) => `${scheme}${host}${path}`.slice(0, 255));

/**
 * Attributes whose validity the schema cannot express: generated by hand. Everything else of
 * `AccountAttributes` is generated from its schema.
 */
function overrides(ctx: AccountFuzzContext): Record<string, fc.Arbitrary<unknown>> {
  return {
    // The marker keeps every record findable (and deletable) by the cleanup sweep.
    name: text(249 - ctx.marker.length - 4, 0, '^[^<>=]*$').map((suffix) => `${ctx.marker} fz ${suffix}`),
    website: fc.oneof(fc.constant(null), websiteArb),
    emailAddress: fc.oneof(fc.constant(null), emailArb),
    emailAddressData: fc.oneof(
      fc.constant(null),
      fc
        .uniqueArray(emailArb, { maxLength: 3, selector: (e) => e.toLowerCase() })
        .chain((emails) =>
          fc.tuple(fc.constant(emails), fc.integer({ min: -1, max: Math.max(emails.length - 1, 0) }), fc.array(fc.boolean(), { minLength: emails.length, maxLength: emails.length })),
        )
        .map(([emails, primary, optOut]) => emails.map((emailAddress, i) => ({ emailAddress, primary: i === primary, optOut: optOut[i] ?? false }))),
    ),
    phoneNumber: fc.oneof(fc.constant(null), phoneArb),
    phoneNumberData: fc.oneof(
      fc.constant(null),
      fc
        .uniqueArray(phoneArb, { maxLength: 3, selector: (p) => p.replace(/\D/g, '') })
        .chain((numbers) => fc.tuple(fc.constant(numbers), fc.array(fc.constantFrom('Office', 'Mobile', 'Fax', 'Other', null), { minLength: numbers.length, maxLength: numbers.length })))
        .map(([numbers, kinds]) => numbers.map((phoneNumber, i) => ({ phoneNumber, type: kinds[i] ?? null, primary: i === 0 }))),
    ),
    campaignId: fc.constant(null),
    assignedUserId: ctx.meId ? fc.constantFrom(null, ctx.meId) : fc.constant(null),
    teamsIds: fc.constant([]),
  };
}

/** The writable Account attributes (AccountUpdate, written out flat in the bundle: ADR-009A). */
export function accountProperties(doc: OpenApiDocument): Record<string, Schema> {
  const schema = resolveRef<Schema>(doc, { $ref: '#/components/schemas/AccountUpdate' });
  return (schema['properties'] as Record<string, Schema>) ?? {};
}

/** A valid create body: `name` always, any subset of the other attributes. */
export function validAccountBody(ctx: AccountFuzzContext, options: { requireName: boolean }): fc.Arbitrary<Body> {
  const props = accountProperties(ctx.doc);
  const custom = overrides(ctx);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, schema] of Object.entries(props)) model[key] = custom[key] ?? fromSchema(ctx.doc, schema);
  return fc.record(model, { requiredKeys: options.requireName ? ['name'] : [] }) as fc.Arbitrary<Body>;
}

export type Mutation =
  | { kind: 'wrong-type'; attribute: string; value: unknown }
  | { kind: 'too-long'; attribute: string; length: number }
  | { kind: 'unknown-enum'; attribute: string; value: string }
  | { kind: 'bad-pattern'; attribute: string; char: string }
  | { kind: 'missing-name' }
  | { kind: 'blank-name'; value: string }
  | { kind: 'too-many'; attribute: 'emailAddressData' | 'phoneNumberData' }
  | { kind: 'bad-email'; value: string };

/** One defect per body, from what the schema states (types, maxLength, enum, pattern, required, maxItems). */
export function mutationArb(doc: OpenApiDocument): fc.Arbitrary<Mutation> {
  const props = accountProperties(doc);
  const wrongValue = (schema: Schema): fc.Arbitrary<unknown> => {
    const types = new Set(Array.isArray(schema['type']) ? (schema['type'] as string[]) : schema['type'] ? [String(schema['type'])] : []);
    const candidates: fc.Arbitrary<unknown>[] = [];
    if (!types.has('number') && !types.has('integer')) candidates.push(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
    if (!types.has('boolean')) candidates.push(fc.boolean());
    if (!types.has('array')) candidates.push(fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }));
    if (!types.has('object')) candidates.push(fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.string({ maxLength: 5 }), { maxKeys: 2 }));
    if (types.has('array') || types.has('object') || types.has('boolean') || types.has('integer') || types.has('number')) candidates.push(fc.string({ maxLength: 5 }));
    return fc.oneof(...candidates);
  };
  const typed = Object.entries(props).filter(([, s]) => s['type'] !== undefined);
  const long = Object.entries(props).filter(([, s]) => typeof s['maxLength'] === 'number');
  const enums = ['type', 'industry'];
  const patterned = Object.entries(props).filter(([, s]) => s['pattern'] === '^[^<>=]*$').map(([k]) => k);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...typed).chain(([attribute, schema]) => wrongValue(schema).map((value): Mutation => ({ kind: 'wrong-type', attribute, value }))) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...long).chain(([attribute, schema]) =>
        fc.integer({ min: 1, max: 40 }).map((extra): Mutation => ({ kind: 'too-long', attribute, length: (schema['maxLength'] as number) + extra })),
      ),
    },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...enums), fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/)).map(([attribute, value]): Mutation => ({ kind: 'unknown-enum', attribute, value: `Zz${value}` })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...patterned), fc.constantFrom('<', '>', '=')).map(([attribute, char]): Mutation => ({ kind: 'bad-pattern', attribute, char })) },
    { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'missing-name' }) },
    { weight: 1, arbitrary: fc.stringMatching(/^[ \t\n]{0,5}$/).map((value): Mutation => ({ kind: 'blank-name', value })) },
    { weight: 1, arbitrary: fc.constantFrom<'emailAddressData' | 'phoneNumberData'>('emailAddressData', 'phoneNumberData').map((attribute): Mutation => ({ kind: 'too-many', attribute })) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9.]{1,10}$/).map((value): Mutation => ({ kind: 'bad-email', value: `${value}@` })) },
  );
}

/** Applies a mutation; the result must be invalid (400), whatever the base body. */
export function applyMutation(body: Body, mutation: Mutation, marker: string): Body {
  const copy: Body = { ...body };
  switch (mutation.kind) {
    case 'wrong-type':
      copy[mutation.attribute] = mutation.value;
      break;
    case 'too-long':
      copy[mutation.attribute] =
        mutation.attribute === 'name' ? `${marker} ${'n'.repeat(Math.max(mutation.length - marker.length - 1, 1))}` : mutation.attribute === 'emailAddress' ? `${'e'.repeat(mutation.length - 21)}@conformance.example` : 'x'.repeat(mutation.length);
      break;
    case 'unknown-enum':
      copy[mutation.attribute] = mutation.value;
      break;
    case 'bad-pattern':
      copy[mutation.attribute] = mutation.attribute === 'name' ? `${marker} a${mutation.char}b` : `a${mutation.char}b`;
      break;
    case 'missing-name':
      delete copy['name'];
      break;
    case 'blank-name':
      copy['name'] = mutation.value;
      break;
    case 'too-many':
      copy[mutation.attribute] =
        mutation.attribute === 'emailAddressData'
          ? Array.from({ length: 11 }, (_, i) => ({ emailAddress: `many${i}@conformance.example`, primary: i === 0 }))
          : Array.from({ length: 11 }, (_, i) => ({ phoneNumber: `+44 20 7946 00${String(i).padStart(2, '0')}`, primary: i === 0 }));
      break;
    case 'bad-email':
      copy['emailAddress'] = mutation.value;
      delete copy['emailAddressData'];
      break;
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------------------
// Search parameters

export type WhereItem = { type: string; attribute?: string; value?: unknown; dateTime?: boolean; timeZone?: string };

const PLAIN_STRING_ATTRIBUTES = ['name', 'website', 'sicCode', 'billingAddressCity', 'billingAddressStreet', 'shippingAddressCountry', 'description'];
/** Stored in their own tables: EspoCRM's where definitions know LIKE, =, <>, IN, NOT IN and NULL tests only. */
const POINT_ATTRIBUTES = ['emailAddress', 'phoneNumber'];
const STRING_ATTRIBUTES = [...PLAIN_STRING_ATTRIBUTES, ...POINT_ATTRIBUTES];
const MATCH_OPS = ['equals', 'notEquals', 'like', 'notLike', 'startsWith', 'endsWith', 'contains', 'notContains'];
const COMPARISON_OPS = ['greaterThan', 'lessThan', 'greaterThanOrEquals', 'lessThanOrEquals'];
const DATE_ATTRIBUTES = ['createdAt', 'modifiedAt', 'streamUpdatedAt'];
const DATE_PRESETS = ['today', 'past', 'future', 'lastSevenDays', 'currentMonth', 'lastMonth', 'nextMonth', 'currentQuarter', 'lastQuarter', 'currentYear', 'lastYear', 'currentFiscalYear', 'lastFiscalYear', 'currentFiscalQuarter', 'lastFiscalQuarter'];
const X_DAYS = ['lastXDays', 'nextXDays', 'olderThanXDays', 'afterXDays'];
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'];
export const ACCOUNT_ENUMS = { type: ['', 'Customer', 'Investor', 'Partner', 'Reseller'], industry: ['', 'Finance', 'Legal', 'Software', 'Banking', 'Apparel & Accessories'] };

const value = fc.string({ unit: textUnit, maxLength: 20 });
const dateArb = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const dateTimeArb = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19).replace('T', ' '));
const idArb = fc.stringMatching(/^[a-f0-9]{17}$/);

const leafArb: fc.Arbitrary<WhereItem> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constantFrom(...MATCH_OPS), attribute: fc.constantFrom(...STRING_ATTRIBUTES), value }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom(...COMPARISON_OPS), attribute: fc.constantFrom(...PLAIN_STRING_ATTRIBUTES), value }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constantFrom('in', 'notIn'), attribute: fc.constantFrom(...STRING_ATTRIBUTES), value: fc.array(value, { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constantFrom('isNull', 'isNotNull', 'ever'), attribute: fc.constantFrom(...STRING_ATTRIBUTES, ...DATE_ATTRIBUTES, 'type', 'industry') }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('type' as const, 'industry' as const).chain((attribute) =>
      fc.oneof(
        fc.record({ type: fc.constantFrom('equals', 'notEquals'), attribute: fc.constant(attribute), value: fc.constantFrom(...ACCOUNT_ENUMS[attribute]) }),
        fc.record({ type: fc.constantFrom('in', 'notIn'), attribute: fc.constant(attribute), value: fc.uniqueArray(fc.constantFrom(...ACCOUNT_ENUMS[attribute]), { minLength: 1, maxLength: 3 }) }),
      ),
    ),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('isTrue', 'isFalse'), attribute: fc.constantFrom('emailAddressIsOptedOut', 'emailAddressIsInvalid', 'phoneNumberIsOptedOut', 'phoneNumberIsInvalid') }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('any', 'none'), attribute: fc.constantFrom('name', 'id') }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constantFrom(...DATE_PRESETS), attribute: fc.constantFrom(...DATE_ATTRIBUTES), dateTime: fc.constant(true), timeZone: fc.constantFrom(...TIME_ZONES) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom(...X_DAYS), attribute: fc.constantFrom(...DATE_ATTRIBUTES), dateTime: fc.constant(true), value: fc.integer({ min: 0, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('on', 'notOn', 'after', 'before'), attribute: fc.constantFrom(...DATE_ATTRIBUTES), dateTime: fc.constant(true), timeZone: fc.constantFrom(...TIME_ZONES), value: dateArb }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('between'), attribute: fc.constantFrom(...DATE_ATTRIBUTES), dateTime: fc.constant(true), value: fc.tuple(dateArb, dateArb).map(([a, b]) => (a < b ? [a, b] : [b, a])) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('greaterThan', 'lessThan', 'equals'), attribute: fc.constantFrom(...DATE_ATTRIBUTES), value: dateTimeArb }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('equals', 'notEquals', 'in'), attribute: fc.constantFrom('id', 'assignedUserId', 'createdById'), value: idArb }).map((item) => (item.type === 'in' ? { ...item, value: [item.value] } : item)) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('isLinked', 'isNotLinked'), attribute: fc.constantFrom('teams') }) },
);

/** Where items with and/or groups nested at most twice (four bracket levels per group stay within every parser's limits). */
export const whereArb: fc.Arbitrary<WhereItem> = fc.letrec<{ item: WhereItem; group: WhereItem }>((tie) => ({
  item: fc.oneof({ depthSize: 'small', withCrossShrink: true, maxDepth: 2 }, leafArb, tie('group')),
  group: fc.record({ type: fc.constantFrom('and', 'or'), value: fc.array(tie('item'), { minLength: 1, maxLength: 3 }) }) as fc.Arbitrary<WhereItem>,
})).item;

/** A where clause: one item (maybe a group) and up to two more leaves, combined with AND. */
export const whereClauseArb: fc.Arbitrary<WhereItem[]> = fc.tuple(whereArb, fc.array(leafArb, { maxLength: 2 })).map(([first, rest]) => [first, ...rest]);

export const ORDER_BY = ['name', 'website', 'emailAddress', 'phoneNumber', 'type', 'industry', 'sicCode', 'billingAddressCity', 'createdAt', 'modifiedAt', 'assignedUser', 'createdBy', 'id'];
export const SELECTABLE = ['name', 'website', 'type', 'industry', 'sicCode', 'emailAddress', 'phoneNumber', 'description', 'createdAt', 'assignedUserId', 'teamsIds', 'billingAddressCity'];

export interface ListQuery {
  style: 'php' | 'searchParams';
  noTotal: boolean;
  query: Record<string, unknown>;
}

export const validListArb: fc.Arbitrary<ListQuery> = fc.record(
  {
    style: fc.constantFrom<'php' | 'searchParams'>('php', 'searchParams'),
    noTotal: fc.boolean(),
    query: fc.record(
      {
        where: whereClauseArb,
        maxSize: fc.integer({ min: 0, max: 200 }),
        offset: fc.integer({ min: 0, max: 500 }),
        orderBy: fc.constantFrom(...ORDER_BY),
        order: fc.constantFrom('asc', 'desc'),
        select: fc.uniqueArray(fc.constantFrom(...SELECTABLE), { minLength: 1, maxLength: 4 }),
        textFilter: fc.string({ unit: textUnit, maxLength: 12 }),
        primaryFilter: fc.constantFrom('customers', 'partners', 'resellers', 'recentlyCreated', 'all', 'followed', 'starred'),
        boolFilterList: fc.uniqueArray(fc.constantFrom('onlyMy', 'followed', 'shared'), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: ['maxSize'] },
    ),
  },
  { requiredKeys: ['style', 'noTotal', 'query'] },
);

export type ListDefect =
  | { kind: 'where-no-type'; attribute: string }
  | { kind: 'where-unknown-type'; type: string }
  | { kind: 'where-unknown-attribute'; attribute: string }
  | { kind: 'where-complex-attribute'; attribute: string }
  | { kind: 'where-in-scalar'; value: string }
  | { kind: 'where-unknown-key'; key: string }
  | { kind: 'where-bad-date'; value: string }
  | { kind: 'where-bad-time-zone'; timeZone: string }
  | { kind: 'max-size-too-large'; maxSize: number }
  | { kind: 'max-size-negative'; maxSize: number }
  | { kind: 'max-size-not-integer'; raw: string }
  | { kind: 'offset-negative'; offset: number }
  | { kind: 'order-unknown'; order: string }
  | { kind: 'order-by-unknown'; orderBy: string }
  | { kind: 'search-params-not-json'; raw: string }
  | { kind: 'primary-filter-unknown'; name: string };

const KNOWN_ATTRIBUTE_WORDS = new Set([...STRING_ATTRIBUTES, ...DATE_ATTRIBUTES, 'id', 'type', 'industry', 'deleted', 'teams', 'campaign', 'assignedUser', 'createdBy', 'modifiedBy']);
const identifier = fc.stringMatching(/^[a-z][A-Za-z0-9]{2,15}$/).map((s) => `zz${s}`).filter((s) => !KNOWN_ATTRIBUTE_WORDS.has(s));

export const listDefectArb: fc.Arbitrary<ListDefect> = fc.oneof(
  fc.record({ kind: fc.constant('where-no-type' as const), attribute: fc.constantFrom(...STRING_ATTRIBUTES) }),
  fc.record({ kind: fc.constant('where-unknown-type' as const), type: identifier }),
  fc.record({ kind: fc.constant('where-unknown-attribute' as const), attribute: identifier }),
  fc.record({ kind: fc.constant('where-complex-attribute' as const), attribute: fc.constantFrom('campaign.name', 'assignedUser.userName', 'teams.name', 'a:b') }),
  fc.record({ kind: fc.constant('where-in-scalar' as const), value: fc.string({ unit: textUnit, minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('where-unknown-key' as const), key: identifier }),
  // PHP's DateTime parser takes a lot (`now`, `monday`, single letters are military time zones): only values it rejects.
  fc.record({ kind: fc.constant('where-bad-date' as const), value: fc.constantFrom('2026-13-45', '31/31/2026', '--', '2026-99-99 99:99:99', '12345678901') }),
  fc.record({ kind: fc.constant('where-bad-time-zone' as const), timeZone: identifier.map((s) => `Zz/${s}`) }),
  fc.record({ kind: fc.constant('max-size-too-large' as const), maxSize: fc.integer({ min: 201, max: 100_000 }) }),
  fc.record({ kind: fc.constant('max-size-negative' as const), maxSize: fc.integer({ min: -1000, max: -1 }) }),
  fc.record({ kind: fc.constant('max-size-not-integer' as const), raw: fc.oneof(fc.stringMatching(/^[a-z]{1,5}$/), fc.constantFrom('1.5', '1e3', '0x10', ' ')) }),
  fc.record({ kind: fc.constant('offset-negative' as const), offset: fc.integer({ min: -1000, max: -1 }) }),
  fc.record({ kind: fc.constant('order-unknown' as const), order: fc.stringMatching(/^[a-z]{1,8}$/).filter((s) => s !== 'asc' && s !== 'desc') }),
  fc.record({ kind: fc.constant('order-by-unknown' as const), orderBy: identifier }),
  fc.record({ kind: fc.constant('search-params-not-json' as const), raw: fc.oneof(fc.string({ unit: textUnit, minLength: 1, maxLength: 10 }).filter((s) => !isJson(s)), fc.constantFrom('{', '{"maxSize":', '[1,', 'null', 'true', '"x"', '[]', '[1,2]')) }),
  fc.record({ kind: fc.constant('primary-filter-unknown' as const), name: identifier }),
);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
