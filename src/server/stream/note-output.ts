/**
 * Notes as the API returns them (EspoCRM Note value maps after Tools\Stream\RecordService::prepareNote):
 * stored attributes, the names of the author, of the related record and of the parent (in a stream only
 * when the parent is another record than the stream's), attachments of posts, and no reactions
 * (`reactionCounts: null`, `myReactions: []`, checked live on 9.2.7).
 */
import type { Db } from '../db/dynamic.js';
import type { NoteTable } from '../db/schema.js';
import { loadNames } from '../read/loaders.js';
import type { RecordData } from '../read/values.js';
import type { RecordRef } from './notes.js';

/** Columns of the note table the output needs. */
export const NOTE_COLUMNS = [
  'id', 'number', 'type', 'post', 'data', 'targetType', 'parentId', 'parentType', 'relatedId', 'relatedType',
  'superParentId', 'superParentType', 'isGlobal', 'isInternal', 'isPinned', 'createdAt', 'modifiedAt', 'createdById', 'modifiedById', 'deleted',
] as const satisfies readonly (keyof NoteTable)[];

export type NoteRow = { [K in (typeof NOTE_COLUMNS)[number]]: unknown };

/** Types whose notes carry attachments (EspoCRM Note::loadAttachments). */
const WITH_ATTACHMENTS = new Set(['Post', 'EmailReceived', 'EmailSent']);

/**
 * @param stream the record whose stream is listed; its own name is not repeated on its notes.
 *   `null` for a single note (createNote), which gets every name.
 */
export async function presentNotes(db: Db, rows: readonly NoteRow[], stream: RecordRef | null): Promise<RecordData[]> {
  const userIds = rows.flatMap((row) => [row.createdById, row.modifiedById]).filter((id): id is string => typeof id === 'string');
  const userNames = await loadNames(db, 'User', userIds);
  const genders = await loadGenders(db, userIds);
  const recordNames = await loadRecordNames(
    db,
    rows.flatMap((row) => [refOf(row.parentType, row.parentId), refOf(row.relatedType, row.relatedId)]).filter((ref): ref is RecordRef => ref !== null),
  );
  const nameOf = (ref: RecordRef | null) => (ref ? (recordNames.get(key(ref)) ?? null) : null);

  return rows.map((row) => {
    const parent = refOf(row.parentType, row.parentId);
    const related = refOf(row.relatedType, row.relatedId);
    const showParentName = parent !== null && (stream === null || key(parent) !== key(stream));
    const createdById = typeof row.createdById === 'string' ? row.createdById : null;
    const modifiedById = typeof row.modifiedById === 'string' ? row.modifiedById : null;
    return {
      id: row.id,
      number: Number(row.number),
      type: row.type,
      post: row.post ?? null,
      data: parseData(row.data),
      targetType: row.targetType ?? null,
      parentId: row.parentId ?? null,
      parentType: row.parentType ?? null,
      ...(showParentName ? { parentName: nameOf(parent) } : {}),
      relatedId: row.relatedId ?? null,
      relatedType: row.relatedType ?? null,
      ...(related ? { relatedName: nameOf(related) } : {}),
      superParentId: row.superParentId ?? null,
      superParentType: row.superParentType ?? null,
      isGlobal: flag(row.isGlobal),
      isInternal: flag(row.isInternal),
      isPinned: flag(row.isPinned),
      createdAt: row.createdAt,
      modifiedAt: row.modifiedAt ?? null,
      createdById,
      createdByName: createdById ? (userNames.get(createdById) ?? null) : null,
      createdByGender: createdById ? (genders.get(createdById) ?? null) : null,
      modifiedById,
      modifiedByName: modifiedById ? (userNames.get(modifiedById) ?? null) : null,
      // No uploads on this server: posts have no attachments.
      ...(WITH_ATTACHMENTS.has(String(row.type)) ? { attachmentsIds: [], attachmentsNames: {}, attachmentsTypes: {} } : {}),
      reactionCounts: null,
      myReactions: [],
      deleted: flag(row.deleted),
    };
  });
}

function flag(value: unknown): boolean {
  return Number(value) === 1;
}

function refOf(entityType: unknown, id: unknown): RecordRef | null {
  return typeof entityType === 'string' && typeof id === 'string' ? { entityType, id } : null;
}

function key(ref: RecordRef): string {
  return `${ref.entityType}:${ref.id}`;
}

function parseData(value: unknown): unknown {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

async function loadRecordNames(db: Db, refs: readonly RecordRef[]): Promise<Map<string, string | null>> {
  const byType = new Map<string, string[]>();
  for (const ref of refs) byType.set(ref.entityType, [...(byType.get(ref.entityType) ?? []), ref.id]);
  const names = new Map<string, string | null>();
  for (const [entityType, ids] of byType) {
    for (const [id, name] of await loadNames(db, entityType, ids)) names.set(key({ entityType, id }), name);
  }
  return names;
}

async function loadGenders(db: Db, userIds: readonly string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('user').select(['id', 'gender']).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row.gender]));
}
