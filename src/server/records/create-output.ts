/**
 * The body of a create response, keyed as EspoCRM's: Record\Service::create returns the new entity's
 * value map (ORM BaseEntity::getValueMap), which lists only attributes that were *set*:
 * - the sent attributes and the ORM defaults (BaseEntity::populateDefaults; Orm\Converter gives every
 *   bool attribute `default: false`, relation columns and the email/phone flags included);
 * - what saving sets (id, createdAt, modifiedAt, createdById, versionNumber, streamUpdatedAt, values
 *   save hooks derive) and the primary address the email/phone savers derive from `…Data`;
 * - what the read loaders add (app/fieldProcessing.json readLoaderClassNameList): belongsTo names
 *   (Link\NotJoinedLoader, null without an id), parent names, link-multiple ids/names, `…Data`,
 *   followers and stars.
 * Everything else (website, type, modifiedById, originalLeadId, …) is absent, not null.
 */
import type { AttributeDefs, EntityMeta } from '../metadata/index.js';
import type { RecordData } from '../read/values.js';

/** Set by the repository and the stream hooks when a record is saved for the first time. */
const SET_ON_CREATE = new Set(['id', 'deleted', 'createdAt', 'modifiedAt', 'createdById', 'versionNumber', 'streamUpdatedAt']);

/** Filled by a read loader whatever was sent. */
const LOADED_KINDS = new Set<AttributeDefs['kind']>([
  'foreignName',
  'parentName',
  'linkMultipleIds',
  'linkMultipleNames',
  'emailData',
  'phoneData',
  'isFollowed',
  'followersIds',
  'followersNames',
  'isStarred',
]);

/**
 * `record` is the new record in the read shape; `set` holds the values the create set (defaults and
 * accepted input).
 */
export function createOutput(meta: EntityMeta, record: RecordData, set: RecordData): RecordData {
  const output: RecordData = {};
  for (const attribute of meta.attributes.values()) {
    const { name } = attribute;
    if (attribute.kind === 'relationColumn') {
      if (attribute.valueType === 'bool') output[name] = false;
      continue;
    }
    if (attribute.output === 'none') {
      if (name in set) output[name] = set[name]; // e.g. sent targetListsIds (not loaded on read)
      continue;
    }
    if (!isSet(attribute, set) && !setByHook(meta, attribute, record)) continue;
    output[name] = attribute.valueType === 'bool' ? (record[name] ?? false) : (record[name] ?? null);
  }
  return output;
}

/**
 * A stored value that neither the input nor a default gave was set by a save hook (an activity's
 * accountId from its parent, a call's assigned user, …), so EspoCRM's value map has it too. Autoincrement
 * numbers are the exception: the insert does not read them back (ORM BaseMapper::insertInternal).
 */
function setByHook(meta: EntityMeta, attribute: AttributeDefs, record: RecordData): boolean {
  return attribute.kind === 'column' && record[attribute.name] !== null && record[attribute.name] !== undefined && meta.fields.get(attribute.field)?.type !== 'autoincrement';
}

function isSet(attribute: AttributeDefs, set: RecordData): boolean {
  const { name } = attribute;
  if (SET_ON_CREATE.has(name) || LOADED_KINDS.has(attribute.kind) || name in set) return true;
  switch (attribute.kind) {
    case 'linkOneId':
    case 'linkOneName':
      return false; // HasOneLoader covers `link` fields only, not `linkOne`
    case 'primaryEmail':
    case 'primaryPhone':
      return `${name}Data` in set; // the saver sets the primary address from the data list
    case 'personName':
      return 'firstName' in set && 'lastName' in set; // Person::_setFirstName/_setLastName
    case 'column':
    case 'emailFlag':
    case 'phoneFlag':
      return attribute.valueType === 'bool'; // ORM default false
    default:
      return false;
  }
}
