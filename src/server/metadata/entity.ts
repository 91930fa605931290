import { expandAddress, fieldAttributes, systemAttributes, type AttributeDefs } from './attributes.js';
import type { EntityDefsInput, FieldDefs, LinkDefs } from './types.js';

/** Entity metadata with derived attributes; the single source other code reads. */
export interface EntityMeta extends Omit<EntityDefsInput, 'fields' | 'nameField'> {
  /** Fields in definition order; address fields are followed by their part fields. */
  readonly fields: ReadonlyMap<string, FieldDefs>;
  /** Every attribute in output order. */
  readonly attributes: ReadonlyMap<string, AttributeDefs>;
  /** Attributes of each field (an address field lists its parts' attributes). */
  readonly fieldAttributeNames: ReadonlyMap<string, readonly string[]>;
  /** Columns of the entity table (attributes of kind `column`). */
  readonly columns: readonly string[];
  /** Field whose value names the record: `name` (varchar or personName). */
  readonly nameField: string;
  /** `parentId`-like key → belongsToParent link name. */
  readonly links: Readonly<Record<string, LinkDefs>>;
}

const STREAM_UPDATED_AT: FieldDefs = { type: 'datetime', readOnly: true };

export function defineEntity(input: EntityDefsInput): EntityMeta {
  const fields = expandFields(input);
  const attributes = new Map<string, AttributeDefs>();
  const fieldAttributeNames = new Map<string, string[]>();
  const { head, tail } = systemAttributes(input);
  const add = (attribute: AttributeDefs) => attributes.set(attribute.name, attribute);

  head.forEach(add);
  for (const [name, field] of fields) {
    const list = fieldAttributes(name, field, input.links);
    list.forEach(add);
    fieldAttributeNames.set(name, list.map((attribute) => attribute.name));
  }
  tail.forEach(add);
  for (const [name, field] of fields) {
    if (field.type === 'address') {
      fieldAttributeNames.set(name, Object.keys(expandAddress(name, field)));
    }
  }
  for (const attribute of [...head, ...tail]) {
    fieldAttributeNames.set(attribute.name, [attribute.name]);
  }
  return {
    ...input,
    fields,
    attributes,
    fieldAttributeNames,
    columns: [...attributes.values()].filter((attribute) => attribute.kind === 'column').map((attribute) => attribute.name),
    nameField: input.nameField ?? 'name',
  };
}

function expandFields(input: EntityDefsInput): Map<string, FieldDefs> {
  const fields = new Map<string, FieldDefs>();
  for (const [name, field] of Object.entries(input.fields)) {
    fields.set(name, field);
    if (field.type === 'address') {
      for (const [partName, part] of Object.entries(expandAddress(name, field))) {
        fields.set(partName, part);
      }
    }
  }
  if (input.stream && !fields.has('streamUpdatedAt')) {
    fields.set('streamUpdatedAt', STREAM_UPDATED_AT);
  }
  return fields;
}
