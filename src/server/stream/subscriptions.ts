/**
 * Followers of records (EspoCRM StreamSubscription): who follows a record's stream. Reads of a record show
 * them as `isFollowed`/`followersIds`/`followersNames`, and the `followed` filters select by them (both in
 * records/ and search/, over the same table).
 */
import type { Db } from '../db/dynamic.js';

export async function follow(db: Db, entityType: string, entityId: string, userId: string): Promise<void> {
  await db
    .insertInto('stream_subscription')
    .values({ entityType, entityId, userId })
    .onConflict((conflict) => conflict.columns(['userId', 'entityType', 'entityId']).doNothing())
    .execute();
}

export async function unfollow(db: Db, entityType: string, entityId: string, userId: string): Promise<void> {
  await db.deleteFrom('stream_subscription').where('entityType', '=', entityType).where('entityId', '=', entityId).where('userId', '=', userId).execute();
}

/** A removed record loses its followers (EspoCRM HookProcessor::afterRemove). */
export async function unfollowAll(db: Db, entityType: string, entityId: string): Promise<void> {
  await db.deleteFrom('stream_subscription').where('entityType', '=', entityType).where('entityId', '=', entityId).execute();
}
