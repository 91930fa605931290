/** Value comparison for change reports and optimistic-concurrency conflicts. */
import type { EntityMeta } from '../metadata/index.js';
import type { AttributeChange, ChangeSet } from './hooks.js';
import type { RecordData } from '../read/values.js';

/** Equal as EspoCRM's isAttributeChanged sees it: lists compared as sets, email addresses ignoring case. */
export function sameValue(meta: EntityMeta, name: string, a: unknown, b: unknown): boolean {
  return canonical(meta, name, a) === canonical(meta, name, b);
}

function canonical(meta: EntityMeta, name: string, value: unknown): string {
  const kind = meta.attributes.get(name)?.kind;
  if (value === undefined) value = null;
  if (kind === 'linkMultipleIds' && Array.isArray(value)) {
    return JSON.stringify([...value].map(String).sort());
  }
  if ((kind === 'emailData' || kind === 'phoneData') && Array.isArray(value)) {
    return JSON.stringify(value.map((item) => canonicalPoint(item, kind === 'emailData')).sort());
  }
  return JSON.stringify(value);
}

function canonicalPoint(item: unknown, email: boolean): string {
  const point = (item ?? {}) as RecordData;
  const address = String((email ? point.emailAddress : point.phoneNumber) ?? '');
  return JSON.stringify([email ? address.toLowerCase() : address, Boolean(point.primary), Boolean(point.optOut), Boolean(point.invalid), email ? null : (point.type ?? null)]);
}

export function diffRecords(meta: EntityMeta, previous: RecordData, next: RecordData): ChangeSet {
  const attributes: Record<string, AttributeChange> = {};
  for (const name of Object.keys(next)) {
    if (name !== 'modifiedAt' && name !== 'versionNumber' && name in previous && !sameValue(meta, name, previous[name], next[name])) {
      attributes[name] = { was: previous[name], became: next[name] };
    }
  }
  const fields = [...meta.fields.entries()]
    .filter(([field, defs]) => defs.audited && (meta.fieldAttributeNames.get(field) ?? []).some((name) => name in attributes))
    .map(([field]) => field);
  const audited = { fields, was: {} as RecordData, became: {} as RecordData };
  for (const field of fields) {
    for (const name of meta.fieldAttributeNames.get(field) ?? []) {
      if (name in next) {
        audited.was[name] = previous[name] ?? null;
        audited.became[name] = next[name] ?? null;
      }
    }
  }
  return { attributes, audited, assignedUser: attributes.assignedUserId ?? null };
}
