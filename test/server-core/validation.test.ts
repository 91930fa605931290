import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type RequestContext } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { describeEngines, useTestDatabase } from '../support/database.js';
import { contextWithLevel, createFixtures, rejection, type Fixtures } from '../support/fixtures.js';

const failure = (entityType: string, field: string, type: string) => ({
  status: 400,
  reason: `Field validation failure; entityType: ${entityType}, field: ${field}, type: ${type}.`,
  body: { messageTranslation: { label: 'validationFailure', scope: null, data: { field, type } } },
});

const emails = (count: number) => Array.from({ length: count }, (_, index) => ({ emailAddress: `e${index}@count.com` }));
const phones = (count: number) => Array.from({ length: count }, (_, index) => ({ phoneNumber: `+1 555 ${1000 + index}` }));

describeEngines('validation', (engine) => {
  const t = useTestDatabase(engine);
  let service: RecordService;
  let admin: RequestContext;
  let fx: Fixtures;
  let serial = 0;
  const unique = () => `Valid ${engine} ${++serial}`;

  beforeAll(async () => {
    service = new RecordService(t.db);
    fx = await createFixtures(t.db);
    admin = createContext(fx.admin, { skipDuplicateCheck: true });
  });

  const createAccount = (input: Record<string, unknown>) => service.create('Account', { name: unique(), ...input }, admin);

  const cases: [string, Record<string, unknown>, string, string][] = [
    ['missing name', { name: undefined }, 'name', 'required'],
    ['blank name (trimmed)', { name: '   ' }, 'name', 'required'],
    ['name over 249 characters', { name: 'x'.repeat(250) }, 'name', 'maxLength'],
    ['name with <', { name: 'Acme <b>' }, 'name', 'pattern'],
    ['name with =', { name: 'a=b' }, 'name', 'pattern'],
    ['website without a dot', { website: 'example' }, 'website', 'valid'],
    ['website over 255', { website: `${'w'.repeat(252)}.com` }, 'website', 'maxLength'],
    ['invalid email', { emailAddress: 'not-an-email' }, 'emailAddress', 'emailAddress'],
    ['invalid email in data', { emailAddressData: [{ emailAddress: 'ok@fine.com' }, { emailAddress: 'bad@' }] }, 'emailAddress', 'emailAddress'],
    // PHP's FILTER_VALIDATE_EMAIL refuses addresses of 255+ characters, so they never reach maxLength.
    ['email over 254', { emailAddress: `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com` }, 'emailAddress', 'emailAddress'],
    ['11 email addresses', { emailAddressData: emails(11) }, 'emailAddress', 'maxCount'],
    ['email data not a list of objects', { emailAddressData: 'a@b.com' }, 'emailAddress', 'emailAddress'],
    ['phone with bad characters', { phoneNumber: '555!123' }, 'phoneNumber', 'valid'],
    ['phone type outside typeList', { phoneNumberData: [{ phoneNumber: '+1 555 1', type: 'Pager' }] }, 'phoneNumber', 'valid'],
    ['phone data item without number', { phoneNumberData: [{ type: 'Office' }] }, 'phoneNumber', 'valid'],
    ['phone over 36', { phoneNumber: '1'.repeat(37) }, 'phoneNumber', 'maxLength'],
    ['11 phone numbers', { phoneNumberData: phones(11) }, 'phoneNumber', 'maxCount'],
    ['unknown type option', { type: 'Bogus' }, 'type', 'valid'],
    ['unknown industry option', { industry: 'Space Mining' }, 'industry', 'valid'],
    ['sicCode over 40', { sicCode: '1'.repeat(41) }, 'sicCode', 'maxLength'],
    ['sicCode with >', { sicCode: '12>3' }, 'sicCode', 'pattern'],
    ['city over 100', { billingAddressCity: 'c'.repeat(101) }, 'billingAddressCity', 'maxLength'],
    ['city with <', { billingAddressCity: 'Ber<lin' }, 'billingAddressCity', 'pattern'],
    ['state with =', { shippingAddressState: 'A=B' }, 'shippingAddressState', 'pattern'],
    ['country with >', { shippingAddressCountry: '>' }, 'shippingAddressCountry', 'pattern'],
    ['postal code over 40', { billingAddressPostalCode: '9'.repeat(41) }, 'billingAddressPostalCode', 'maxLength'],
    ['street over 255', { billingAddressStreet: 's'.repeat(256) }, 'billingAddressStreet', 'maxLength'],
    ['assigned user id with bad characters', { assignedUserId: 'bad id!' }, 'assignedUser', 'pattern'],
    ['team id with bad characters', { teamsIds: ['ok', 'bad id'] }, 'teams', 'pattern'],
    ['name that is an object', { name: { first: 'x' } }, 'name', 'valid'],
  ];

  for (const [label, input, field, type] of cases) {
    it(`${label} → ${field}/${type}`, async () => {
      expect(await rejection(createAccount(input))).toEqual(failure('Account', field, type));
    });
  }

  it('accepts the valid edge values', async () => {
    const record = await createAccount({
      name: 'x'.repeat(249),
      website: 'https://example.com/path?q=1',
      type: '',
      industry: null,
      emailAddressData: emails(10),
      phoneNumberData: [...phones(9), { phoneNumber: '+1 (555) 123-4567 #9', type: 'Other' }],
      billingAddressCity: 'c'.repeat(100),
      sicCode: '1'.repeat(40),
    });
    expect(record).toMatchObject({ type: '', industry: null });
    expect(record.emailAddressData).toHaveLength(10);
    expect(record.phoneNumberData).toHaveLength(10);
  });

  it('reports only the first failure, in field order', async () => {
    expect(await rejection(createAccount({ name: '<', website: 'nodot', type: 'Bogus' }))).toEqual(failure('Account', 'name', 'pattern'));
    expect(await rejection(createAccount({ website: 'nodot', type: 'Bogus' }))).toEqual(failure('Account', 'website', 'valid'));
  });

  it('validates only sent fields on update', async () => {
    const record = await createAccount({});
    const id = String(record.id);
    expect(await rejection(service.update('Account', id, { name: '' }, admin))).toEqual(failure('Account', 'name', 'required'));
    expect(await rejection(service.update('Account', id, { industry: 'Nope' }, admin))).toEqual(failure('Account', 'industry', 'valid'));
    expect(await service.update('Account', id, { sicCode: 'A1' }, admin)).toMatchObject({ sicCode: 'A1' });
  });

  it('validates other entities through the same path', async () => {
    const base = { name: 'Deal', amount: 10, closeDate: '2026-06-30' };
    expect(await rejection(service.create('Opportunity', { ...base, amount: -1 }, admin))).toEqual(failure('Opportunity', 'amount', 'min'));
    expect(await rejection(service.create('Opportunity', { ...base, amount: 'lots' }, admin))).toEqual(failure('Opportunity', 'amount', 'valid'));
    expect(await rejection(service.create('Opportunity', { ...base, probability: 101 }, admin))).toEqual(failure('Opportunity', 'probability', 'max'));
    expect(await rejection(service.create('Opportunity', { ...base, closeDate: '2026-02-30' }, admin))).toEqual(failure('Opportunity', 'closeDate', 'valid'));
    expect(await rejection(service.create('Opportunity', { ...base, closeDate: undefined }, admin))).toEqual(failure('Opportunity', 'closeDate', 'required'));
    expect(await rejection(service.create('Opportunity', { ...base, stage: 'Dreaming' }, admin))).toEqual(failure('Opportunity', 'stage', 'valid'));
    const call = { name: 'Call', assignedUserId: fx.alice.id, dateEnd: '2026-01-01 10:00:00' };
    expect(await rejection(service.create('Call', { ...call, dateStart: 'yesterday' }, admin))).toEqual(failure('Call', 'dateStart', 'valid'));
    expect(await service.create('Call', { ...call, dateStart: '2026-01-01T09:00:00+02:00' }, admin)).toMatchObject({ dateStart: '2026-01-01 07:00:00' });
  });

  it('validates before checking access to related records and writes nothing', async () => {
    const before = await t.db.selectFrom('account').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(await rejection(service.create('Account', { name: '<', assignedUserId: 'missing' }, contextWithLevel(fx.alice, 'all')))).toEqual(failure('Account', 'name', 'pattern'));
    const after = await t.db.selectFrom('account').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('validation messages', () => {
  it('use EspoCRM field names for address parts and links', () => {
    expect(failure('Account', 'billingAddressCity', 'pattern').reason).toBe('Field validation failure; entityType: Account, field: billingAddressCity, type: pattern.');
  });
});
