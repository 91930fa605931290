/**
 * Writing stream notes (EspoCRM Tools\Stream\Service::note*). Every note about a record with a stream
 * also moves that record's `streamUpdatedAt` (and its super parent's), as EspoCRM does for posts,
 * creation, assignment, audited updates and (un)relations.
 */
import { sql } from 'kysely';
import { engineOf } from '../db/dialect.js';
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
  const parentTouch = note.parent && touchStream(db, note.parent, note.now);
  if (parentTouch && engineOf(db) === 'postgres') {
    // One statement instead of two (a data-modifying WITH): a round trip less per note on PostgreSQL.
    await executeFixed(db, { compile: () => sql`with "new_note" as (${insert}) ${parentTouch}`.compile(db) });
  } else {
    await executeFixed(db, insert);
    if (parentTouch) await executeFixed(db, parentTouch);
  }
  const superTouch = note.superParent && touchStream(db, note.superParent, note.now);
  if (superTouch) await executeFixed(db, superTouch);
  return id;
}

/** The update setting `streamUpdatedAt` (a direct update: modifiedAt and versionNumber stay); null without a stream. */
function touchStream(db: Db, record: RecordRef, now: string) {
  if (!hasEntity(record.entityType)) return null;
  const meta = getEntity(record.entityType);
  if (!meta.stream) return null;
  return dynamic(db).updateTable(meta.table).set({ streamUpdatedAt: now }).where('id', '=', record.id);
}
