/**
 * Writing stream notes (EspoCRM Tools\Stream\Service::note*). Every note about a record with a stream
 * also moves that record's `streamUpdatedAt` (and its super parent's), as EspoCRM does for posts,
 * creation, assignment, audited updates and (un)relations.
 */
import { dynamic, type Db } from '../db/dynamic.js';
import { executeFixed } from '../db/prepared.js';
import { getEntity, hasEntity } from '../metadata/index.js';
import { generateId } from '../core/ids.js';

export type NoteType = 'Post' | 'Create' | 'CreateRelated' | 'Update' | 'Assign' | 'Relate' | 'Unrelate';

export interface RecordRef {
  readonly entityType: string;
  readonly id: string;
}

export interface NewNote {
  readonly type: NoteType;
  readonly parent: RecordRef | null;
  readonly related?: RecordRef | null;
  /** The account above the parent (activities, opportunities, … of an account): its stream shows the note too. */
  readonly superParent?: RecordRef | null;
  readonly post?: string | null;
  /** `null` for Relate, Unrelate and CreateRelated; an object otherwise. */
  readonly data: Readonly<Record<string, unknown>> | null;
  readonly isInternal?: boolean;
  readonly createdById: string;
  /** `YYYY-MM-DD HH:MM:SS` UTC. */
  readonly now: string;
}

/** Inserts the note; answers its id. */
export async function writeNote(db: Db, note: NewNote): Promise<string> {
  const id = generateId();
  // Every column is always given, so the text is fixed: prepared on PostgreSQL.
  const insert = db
    .insertInto('note')
    .values({
      id,
      type: note.type,
      post: note.post ?? null,
      data: note.data === null ? null : JSON.stringify(note.data),
      targetType: null,
      parentId: note.parent?.id ?? null,
      parentType: note.parent?.entityType ?? null,
      relatedId: note.related?.id ?? null,
      relatedType: note.related?.entityType ?? null,
      superParentId: note.superParent?.id ?? null,
      superParentType: note.superParent?.entityType ?? null,
      isInternal: note.isInternal ? 1 : 0,
      createdAt: note.now,
      modifiedAt: note.now,
      createdById: note.createdById,
      modifiedById: null,
    });
  await executeFixed(db, insert);
  for (const record of [note.parent, note.superParent]) {
    if (record) await touchStream(db, record, note.now);
  }
  return id;
}

/** Sets `streamUpdatedAt` (a direct update: modifiedAt and versionNumber stay). */
async function touchStream(db: Db, record: RecordRef, now: string) {
  if (!hasEntity(record.entityType)) return;
  const meta = getEntity(record.entityType);
  if (!meta.stream) return;
  await executeFixed(db, dynamic(db).updateTable(meta.table).set({ streamUpdatedAt: now }).where('id', '=', record.id));
}
