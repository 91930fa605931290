/**
 * Entity metadata: EspoCRM entityDefs reduced to what this server stores and serves.
 * Entity modules declare *fields* (EspoCRM's unit of definition); ./attributes.ts derives the
 * *attributes* (what the API reads and writes, and what the database stores) from them.
 */

export type FieldType =
  | 'varchar'
  | 'text'
  | 'wysiwyg'
  | 'url'
  | 'enum'
  | 'bool'
  | 'int'
  | 'float'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'datetimeOptional'
  | 'autoincrement'
  | 'link'
  | 'linkOne'
  | 'linkParent'
  | 'linkMultiple'
  | 'file'
  | 'email'
  | 'phone'
  | 'address'
  | 'personName'
  | 'jsonObject'
  | 'jsonArray'
  | 'array'
  | 'password';

export interface FieldDefs {
  readonly type: FieldType;
  readonly required?: boolean;
  /** Characters; EspoCRM's defaults apply when absent (varchar 255, email 255, phone 36). */
  readonly maxLength?: number;
  /** A regular expression source, or `$name` of a pattern in ./patterns.ts. */
  readonly pattern?: string;
  readonly options?: readonly string[];
  /** enum: ordering sorts options alphabetically first (EspoCRM `isSorted`). */
  readonly isSorted?: boolean;
  readonly default?: string | number | boolean | null;
  /** Client input is silently dropped. */
  readonly readOnly?: boolean;
  /** Changes are reported to the stream. */
  readonly audited?: boolean;
  /** Not a column: a relation column or a value computed elsewhere. */
  readonly notStorable?: boolean;
  /** Not part of the record shapes; relation-column attributes are utility fields in EspoCRM. */
  readonly utility?: boolean;
  readonly orderDisabled?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** phone: allowed `phoneNumberData[].type` values. */
  readonly typeList?: readonly string[];
  readonly defaultType?: string;
  /** link/linkMultiple/linkOne/file: foreign entity type when it cannot be taken from the link. */
  readonly entity?: string;
  /** linkParent: allowed parent entity types. */
  readonly entityList?: readonly string[];
  /** linkMultiple: not loaded on read (EspoCRM `noLoad`). */
  readonly noLoad?: boolean;
  /** Never returned (secrets). */
  readonly internal?: boolean;
}

/** Column of a many-to-many middle table exposed as an attribute of the records listed through the link. */
export interface RelationColumnDefs {
  readonly column: string;
  /** Attribute name on the foreign records listed through this link (EspoCRM: the foreign link's columnAttributeMap). */
  readonly attribute: string;
  readonly type: 'varchar' | 'bool';
  readonly maxLength?: number;
}

interface LinkCommon {
  readonly entity: string;
  /** Relating/unrelating writes stream notes (EspoCRM `audited`). */
  readonly audited?: boolean;
}

/** The key is on this entity's table. */
export interface BelongsToLink extends LinkCommon {
  readonly type: 'belongsTo';
  readonly key: string;
}

/** `parentId`/`parentType` on this entity's table. */
export interface BelongsToParentLink {
  readonly type: 'belongsToParent';
  readonly idKey: string;
  readonly typeKey: string;
  readonly entityList: readonly string[];
}

/** One-to-many: `foreignKey` is a column of the foreign table pointing to this record. */
export interface HasManyLink extends LinkCommon {
  readonly type: 'hasMany';
  readonly foreignKey: string;
  /** Relating a record that already has any value in `foreignKey` is refused (EspoCRM `linkOnlyNotLinked`). */
  readonly linkOnlyNotLinked?: boolean;
}

/** One-to-one from the other side; read-only here. */
export interface HasOneLink extends LinkCommon {
  readonly type: 'hasOne';
  readonly foreignKey: string;
}

/** Polymorphic children: `parentId`/`parentType` of the foreign table. */
export interface HasChildrenLink extends LinkCommon {
  readonly type: 'hasChildren';
  readonly foreignKey: string;
  readonly foreignTypeKey: string;
}

/** Many-to-many through a middle table. */
export interface ManyManyLink extends LinkCommon {
  readonly type: 'manyMany';
  readonly middleTable: string;
  /** Middle-table column holding this record's id. */
  readonly nearKey: string;
  /** Middle-table column holding the foreign record's id. */
  readonly farKey: string;
  /** Extra equality conditions on the middle table (entity_team: entityType). */
  readonly conditions?: Readonly<Record<string, string>>;
  readonly columns?: readonly RelationColumnDefs[];
  /** Attributes always added to the select of related lists (EspoCRM mandatoryAttributeList). */
  readonly mandatoryAttributes?: readonly string[];
}

export type LinkDefs = BelongsToLink | BelongsToParentLink | HasManyLink | HasOneLink | HasChildrenLink | ManyManyLink;

export type Order = 'asc' | 'desc';

/** Date helpers a primary filter may use. */
export interface FilterEnvironment {
  readonly now: Date;
}

/** A primary filter expressed as a where item (compiled by the normal where compiler). */
export interface PrimaryFilterDefs {
  readonly where: (env: FilterEnvironment) => RawWhereItem;
}

/** Where item as it arrives from clients (values are validated by the compiler). */
export interface RawWhereItem {
  readonly type: string;
  readonly attribute?: string;
  readonly value?: unknown;
  readonly dateTime?: boolean;
  readonly timeZone?: string;
}

export type BoolFilterName = 'onlyMy' | 'followed' | 'shared';

export interface EntityDefsInput {
  readonly entityType: string;
  readonly table: string;
  /** Field order matters: validation runs in this order and stops at the first failure (EspoCRM). */
  readonly fields: Readonly<Record<string, FieldDefs>>;
  readonly links: Readonly<Record<string, LinkDefs>>;
  readonly collection: {
    readonly orderBy: string;
    readonly order: Order;
    readonly textFilterFields: readonly string[];
  };
  readonly duplicateCheckFields?: readonly string[];
  /** Entity has a stream (followers, streamUpdatedAt). */
  readonly stream?: boolean;
  /** Entity can be starred (isStarred). */
  readonly stars?: boolean;
  /** versionNumber attribute and X-Version-Number conflicts. */
  readonly optimisticConcurrency?: boolean;
  readonly primaryFilters?: Readonly<Record<string, PrimaryFilterDefs>>;
  readonly boolFilters?: readonly BoolFilterName[];
  /**
   * Added to every explicit `select` of a list or related list of this entity (EspoCRM
   * recordDefs.<Entity>.mandatoryAttributeList, Record\Service::prepareSearchParamsSelect).
   */
  readonly mandatoryAttributes?: readonly string[];
  /** Shown as the record's name in links and lists (`name` unless personName). */
  readonly nameField?: string;
}
