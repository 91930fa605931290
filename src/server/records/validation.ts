/**
 * Field validation as EspoCRM's FieldValidationManager: fields in metadata order, each field's
 * validation list in EspoCRM's order (application/Espo/Resources/metadata/fields/<type>.json:
 * validationList then mandatoryValidationList), stopping at the first failure.
 */
import { parseDate, parseDateTime } from '../core/time.js';
import { ValidationFailure } from '../core/errors.js';
import type { EntityMeta, FieldDefs } from '../metadata/index.js';
import { compilePattern } from '../metadata/patterns.js';
import type { RecordData } from '../read/values.js';

const DEFAULT_MAX_LENGTH = { varchar: 255, email: 255, phone: 36, enum: 255 } as const;
const MAX_COUNT = 10;

/** A record value lookup: the prospective state of the record (stored values + input + defaults). */
type Values = RecordData;

type Check = (name: string, field: FieldDefs, values: Values) => boolean;

export interface ValidationScope {
  /** Validate only these fields (update); all fields when absent (create). */
  readonly fields?: ReadonlySet<string>;
  /** Field → type of input that could not be coerced at all. */
  readonly malformed?: ReadonlyMap<string, string>;
}

export function validateRecord(meta: EntityMeta, values: Values, scope: ValidationScope = {}): void {
  for (const [name, field] of meta.fields) {
    if (scope.fields && !scope.fields.has(name)) continue;
    const malformed = scope.malformed?.get(name);
    if (malformed) {
      throw new ValidationFailure(meta.entityType, name, malformed);
    }
    if (field.notStorable) continue;
    for (const [type, check] of checksOf(field)) {
      if (!check(name, field, values)) {
        throw new ValidationFailure(meta.entityType, name, type);
      }
    }
  }
}

function checksOf(field: FieldDefs): [string, Check][] {
  const list = CHECKS[field.type] ?? [];
  return list.filter(([type]) => type !== 'required' || field.required);
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';
const str = (value: unknown) => (typeof value === 'string' ? value : '');

const required: Check = (name, _field, values) => !isEmpty(values[name]);

const maxLength =
  (fallback?: number): Check =>
  (name, field, values) => {
    const limit = field.maxLength ?? fallback;
    return limit === undefined || isEmpty(values[name]) || [...str(values[name])].length <= limit;
  };

const pattern: Check = (name, field, values) => !field.pattern || isEmpty(values[name]) || compilePattern(field.pattern).test(str(values[name]));

/** Enum options with '' meaning "none" (EspoCRM maps '' to null and compares loosely, so '' and null pass). */
const enumValid: Check = (name, field, values) => {
  const value = values[name];
  if (!field.options || value === undefined) return true;
  const options = field.options.map((option) => (option === '' ? null : option));
  return options.includes(isEmpty(value) ? null : str(value)) || (value === '' && options.includes(null));
};

const urlValid: Check = (name, _field, values) => isEmpty(values[name]) || compilePattern('$uriOptionalProtocol').test(str(values[name]));

const idPattern = (attribute: (name: string) => string): Check => (name, _field, values) => {
  const id = values[attribute(name)];
  return id === null || id === undefined || compilePattern('$id').test(str(id));
};

const minimum: Check = (name, field, values) => typeof values[name] !== 'number' || field.min === undefined || (values[name] as number) >= field.min;
const maximum: Check = (name, field, values) => typeof values[name] !== 'number' || field.max === undefined || (values[name] as number) <= field.max;

const dateValid = (parse: (value: string) => Date | null): Check => (name, _field, values) => isEmpty(values[name]) || parse(str(values[name])) !== null;

const jsonValid =
  (arrayExpected: boolean): Check =>
  (name, _field, values) => {
    const value = values[name];
    return value === null || value === undefined || Array.isArray(value) === arrayExpected;
  };

// Email and phone fields also validate every item of `<field>Data`.
const dataItems = (values: Values, name: string): RecordData[] => (Array.isArray(values[`${name}Data`]) ? (values[`${name}Data`] as RecordData[]) : []);
const pointValues = (values: Values, name: string, key: string) => [values[name], ...dataItems(values, name).map((item) => item[key])].filter((value) => !isEmpty(value)).map(str);

const pointRequired = (key: string): Check => (name, _field, values) => pointValues(values, name, key).length > 0;
const pointMaxLength = (key: string, limit: number): Check => (name, _field, values) => pointValues(values, name, key).every((value) => [...value].length <= limit);
const pointMaxCount: Check = (name, _field, values) => dataItems(values, name).length <= MAX_COUNT;

/** PHP FILTER_VALIDATE_EMAIL, approximately: dot-atom local part, dotted host name. */
const EMAIL = /^(?=.{1,254}$)(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const emailValid: Check = (name, _field, values) => pointValues(values, name, 'emailAddress').every((value) => EMAIL.test(value));

/** Phone: each number matches `phoneNumberLoose`; each data item has a number and a type from typeList. */
const phoneValid: Check = (name, field, values) => {
  const loose = compilePattern('$phoneNumberLoose');
  if (!isEmpty(values[name]) && !loose.test(str(values[name]))) return false;
  return dataItems(values, name).every((item) => {
    const type = item.type;
    const typeOk = type === null || type === undefined || (typeof type === 'string' && (!field.typeList || field.typeList.includes(type)));
    return !isEmpty(item.phoneNumber) && loose.test(str(item.phoneNumber)) && typeOk;
  });
};

const linkRequired: Check = (name, _field, values) => !isEmpty(values[`${name}Id`]);
const parentRequired: Check = (name, _field, values) => !isEmpty(values[`${name}Id`]) && !isEmpty(values[`${name}Type`]);
const parentValid: Check = (name, field, values) => {
  const type = values[`${name}Type`];
  return isEmpty(type) || !field.entityList || field.entityList.includes(str(type));
};
const idsOf = (values: Values, name: string) => (Array.isArray(values[`${name}Ids`]) ? (values[`${name}Ids`] as unknown[]) : []);
const multipleRequired: Check = (name, _field, values) => idsOf(values, name).length > 0;
const multiplePattern: Check = (name, _field, values) => idsOf(values, name).every((id) => compilePattern('$id').test(str(id)));

const CHECKS: Partial<Record<FieldDefs['type'], [string, Check][]>> = {
  varchar: [['required', required], ['maxLength', maxLength(DEFAULT_MAX_LENGTH.varchar)], ['pattern', pattern]],
  url: [['required', required], ['maxLength', maxLength(DEFAULT_MAX_LENGTH.varchar)], ['valid', urlValid]],
  text: [['required', required], ['maxLength', maxLength()]],
  wysiwyg: [['required', required], ['maxLength', maxLength()]],
  enum: [['required', (name, _f, values) => values[name] !== null && values[name] !== undefined], ['valid', enumValid], ['maxLength', maxLength(DEFAULT_MAX_LENGTH.enum)]],
  email: [['required', pointRequired('emailAddress')], ['emailAddress', emailValid], ['maxLength', pointMaxLength('emailAddress', DEFAULT_MAX_LENGTH.email)], ['maxCount', pointMaxCount]],
  phone: [['required', pointRequired('phoneNumber')], ['valid', phoneValid], ['maxLength', pointMaxLength('phoneNumber', DEFAULT_MAX_LENGTH.phone)], ['maxCount', pointMaxCount]],
  int: [['required', required], ['min', minimum], ['max', maximum]],
  float: [['required', required], ['min', minimum], ['max', maximum]],
  currency: [['required', required], ['min', minimum], ['max', maximum]],
  date: [['required', required], ['valid', dateValid(parseDate)]],
  datetime: [['required', required], ['valid', dateValid(parseDateTime)]],
  datetimeOptional: [['required', (name, _f, values) => !isEmpty(values[name]) || !isEmpty(values[`${name}Date`])], ['valid', dateValid(parseDateTime)]],
  link: [['required', linkRequired], ['pattern', idPattern((name) => `${name}Id`)]],
  file: [['required', linkRequired], ['pattern', idPattern((name) => `${name}Id`)]],
  linkParent: [['required', parentRequired], ['pattern', idPattern((name) => `${name}Id`)], ['valid', parentValid]],
  linkMultiple: [['required', multipleRequired], ['pattern', multiplePattern], ['maxCount', () => true]],
  jsonObject: [['valid', jsonValid(false)]],
  jsonArray: [['valid', jsonValid(true)]],
  array: [['valid', jsonValid(true)], ['maxCount', () => true]],
};
