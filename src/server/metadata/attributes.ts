/**
 * Derives EspoCRM *attributes* from *fields* (application/Espo/Core/Utils/Database/Orm/FieldConverters/*,
 * application/Espo/Resources/metadata/fields/*.json), plus the system attributes every record has.
 */
import type { EntityDefsInput, FieldDefs, LinkDefs } from './types.js';

/** How a value is stored and compared. */
export type ValueType = 'id' | 'string' | 'text' | 'int' | 'float' | 'bool' | 'date' | 'datetime' | 'json';

export type AttributeKind =
  /** A column of the entity table named like the attribute. */
  | 'column'
  /** `<link>Name` of a belongsTo link or file: the foreign record's name. */
  | 'foreignName'
  /** `<link>Name` of a linkParent. */
  | 'parentName'
  /** `name` of a personName field, computed from firstName/lastName. */
  | 'personName'
  | 'primaryEmail'
  | 'emailFlag'
  | 'emailData'
  | 'primaryPhone'
  | 'phoneFlag'
  | 'phoneData'
  | 'phoneNumeric'
  | 'linkMultipleIds'
  | 'linkMultipleNames'
  /** linkOne: the foreign side owns the key; not stored here. */
  | 'linkOneId'
  | 'linkOneName'
  /** A middle-table column, set only on records listed through a link. */
  | 'relationColumn'
  | 'isFollowed'
  | 'followersIds'
  | 'followersNames'
  | 'isStarred';

/**
 * - `list`: in list items and in the read shape;
 * - `read`: in the read shape, in lists only when selected explicitly;
 * - `none`: never output (relation columns, filter-only and secret attributes).
 */
export type OutputScope = 'list' | 'read' | 'none';

export interface AttributeDefs {
  readonly name: string;
  /** Owning field; system attributes own themselves. */
  readonly field: string;
  readonly kind: AttributeKind;
  readonly valueType: ValueType;
  /** Silently dropped from client input. */
  readonly readOnly: boolean;
  /** Compared and ordered ignoring case (MySQL collation semantics). */
  readonly caseless: boolean;
  readonly filterable: boolean;
  /** Usable as `orderBy` (fields with orderDisabled, lists and stream data are not). */
  readonly orderable: boolean;
  readonly output: OutputScope;
  /** Link used by foreignName / linkMultiple* / linkOne* attributes. */
  readonly link?: string;
  /** emailFlag / phoneFlag: column of email_address / phone_number. */
  readonly flag?: 'optOut' | 'invalid';
}

type Draft = Omit<AttributeDefs, 'readOnly' | 'caseless' | 'filterable' | 'orderable' | 'output'> & Partial<AttributeDefs>;

const ORDERABLE_KINDS = new Set<AttributeKind>(['column', 'foreignName', 'parentName', 'personName', 'primaryEmail', 'primaryPhone']);

const VALUE_TYPE_BY_FIELD: Partial<Record<FieldDefs['type'], ValueType>> = {
  varchar: 'string',
  url: 'string',
  enum: 'string',
  text: 'text',
  wysiwyg: 'text',
  bool: 'bool',
  int: 'int',
  autoincrement: 'int',
  float: 'float',
  currency: 'float',
  date: 'date',
  datetime: 'datetime',
  datetimeOptional: 'datetime',
  jsonObject: 'json',
  jsonArray: 'json',
  array: 'json',
  password: 'string',
};

/** Attributes of one field, in output order. */
export function fieldAttributes(
  name: string,
  field: FieldDefs,
  links: Readonly<Record<string, LinkDefs>>,
): AttributeDefs[] {
  return draftsOf(name, field, links).map((draft) => finish(draft, field));
}

function draftsOf(name: string, field: FieldDefs, links: Readonly<Record<string, LinkDefs>>): Draft[] {
  if (field.notStorable && field.utility) {
    return [{ name, field: name, kind: 'relationColumn', valueType: field.type === 'bool' ? 'bool' : 'string' }];
  }
  switch (field.type) {
    case 'link':
    case 'file':
      return [
        { name: `${name}Id`, field: name, kind: 'column', valueType: 'id', link: name },
        { name: `${name}Name`, field: name, kind: 'foreignName', valueType: 'string', link: name, readOnly: true },
      ];
    case 'linkOne':
      // Joined attributes: part of the ORM's `*` select, so lists and duplicate bodies carry them too.
      return [
        { name: `${name}Id`, field: name, kind: 'linkOneId', valueType: 'id', link: name, readOnly: true },
        { name: `${name}Name`, field: name, kind: 'linkOneName', valueType: 'string', link: name, readOnly: true },
      ];
    case 'linkParent':
      return [
        { name: `${name}Id`, field: name, kind: 'column', valueType: 'id', link: name },
        { name: `${name}Type`, field: name, kind: 'column', valueType: 'string', link: name, caseless: false },
        { name: `${name}Name`, field: name, kind: 'parentName', valueType: 'string', link: name, readOnly: true },
      ];
    case 'linkMultiple':
      return linkMultipleDrafts(name, field, links);
    case 'email':
      return [
        { name, field: name, kind: 'primaryEmail', valueType: 'string' },
        { name: `${name}IsOptedOut`, field: name, kind: 'emailFlag', valueType: 'bool', flag: 'optOut' },
        { name: `${name}IsInvalid`, field: name, kind: 'emailFlag', valueType: 'bool', flag: 'invalid' },
        { name: `${name}Data`, field: name, kind: 'emailData', valueType: 'json', output: 'read', filterable: false },
      ];
    case 'phone':
      return [
        { name, field: name, kind: 'primaryPhone', valueType: 'string', caseless: false },
        { name: `${name}IsOptedOut`, field: name, kind: 'phoneFlag', valueType: 'bool', flag: 'optOut' },
        { name: `${name}IsInvalid`, field: name, kind: 'phoneFlag', valueType: 'bool', flag: 'invalid' },
        { name: `${name}Numeric`, field: name, kind: 'phoneNumeric', valueType: 'string', output: 'none', readOnly: true },
        { name: `${name}Data`, field: name, kind: 'phoneData', valueType: 'json', output: 'read', filterable: false },
      ];
    case 'personName':
      return [{ name, field: name, kind: 'personName', valueType: 'string', readOnly: true }];
    case 'currency':
      return [
        { name, field: name, kind: 'column', valueType: 'float' },
        { name: `${name}Currency`, field: name, kind: 'column', valueType: 'string', caseless: false },
      ];
    case 'datetimeOptional':
      return [
        { name, field: name, kind: 'column', valueType: 'datetime' },
        { name: `${name}Date`, field: name, kind: 'column', valueType: 'date' },
      ];
    case 'address':
      return []; // Its parts are fields of their own (see expandAddress).
    default:
      return [{ name, field: name, kind: 'column', valueType: VALUE_TYPE_BY_FIELD[field.type] ?? 'string' }];
  }
}

function linkMultipleDrafts(name: string, field: FieldDefs, links: Readonly<Record<string, LinkDefs>>): Draft[] {
  const output = field.noLoad ? 'none' : 'read';
  const link = links[name];
  if (!link || link.type !== 'manyMany') {
    throw new Error(`linkMultiple field '${name}' needs a manyMany link of the same name`);
  }
  return [
    { name: `${name}Ids`, field: name, kind: 'linkMultipleIds', valueType: 'json', link: name, output, filterable: false },
    { name: `${name}Names`, field: name, kind: 'linkMultipleNames', valueType: 'json', link: name, output, readOnly: true, filterable: false },
  ];
}

function finish(draft: Draft, field: FieldDefs): AttributeDefs {
  const valueType = draft.valueType;
  const stored = draft.kind !== 'relationColumn';
  return {
    ...draft,
    readOnly: draft.readOnly ?? Boolean(field.readOnly || field.notStorable),
    caseless: draft.caseless ?? (valueType === 'string' || valueType === 'text'),
    filterable:
      !field.internal &&
      (draft.filterable ?? (stored && valueType !== 'json' && draft.kind !== 'linkOneId' && draft.kind !== 'linkOneName')),
    orderable: !field.internal && !field.orderDisabled && ORDERABLE_KINDS.has(draft.kind),
    output: field.internal || !stored ? 'none' : (draft.output ?? 'list'),
  };
}

/** EspoCRM's address sub-field defaults (application/Espo/Resources/metadata/fields/address.json). */
export function expandAddress(name: string, field: FieldDefs): Record<string, FieldDefs> {
  const audited = field.audited ? { audited: true } : {};
  return {
    [`${name}Street`]: { type: 'text', maxLength: 255, ...audited },
    [`${name}City`]: { type: 'varchar', maxLength: 100, pattern: '$noBadCharacters', ...audited },
    [`${name}State`]: { type: 'varchar', maxLength: 100, pattern: '$noBadCharacters', ...audited },
    [`${name}Country`]: { type: 'varchar', maxLength: 100, pattern: '$noBadCharacters', ...audited },
    [`${name}PostalCode`]: { type: 'varchar', maxLength: 40, pattern: '$noBadCharacters', ...audited },
  };
}

/** Attributes that are not fields in EspoCRM but are part of every record of the entity. */
export function systemAttributes(defs: EntityDefsInput): { head: AttributeDefs[]; tail: AttributeDefs[] } {
  const system = (name: string, kind: AttributeKind, valueType: ValueType, output: OutputScope, filterable = true): AttributeDefs => ({
    name,
    field: name,
    kind,
    valueType,
    readOnly: true,
    caseless: false,
    filterable,
    orderable: filterable,
    output,
  });
  const tail: AttributeDefs[] = [system('deleted', 'column', 'bool', 'list')];
  if (defs.optimisticConcurrency) {
    tail.push(system('versionNumber', 'column', 'int', 'list'));
  }
  if (defs.stream) {
    tail.push(system('isFollowed', 'isFollowed', 'bool', 'read', false));
    tail.push(system('followersIds', 'followersIds', 'json', 'read', false));
    tail.push(system('followersNames', 'followersNames', 'json', 'read', false));
  }
  if (defs.stars) {
    tail.push(system('isStarred', 'isStarred', 'bool', 'list', false));
  }
  return { head: [system('id', 'column', 'id', 'list')], tail };
}
