/** Streams of records: notes written on changes, follows, posts, and the stream list. */
export { allowAllResolver, autoFollow, type AccessResolver } from './followers.js';
export { streamLinkHooks } from './link-hooks.js';
export { presentNotes, type NoteRow } from './note-output.js';
export { writeNote, type NewNote, type NoteType, type RecordRef } from './notes.js';
export { streamRecordHooks, type StreamHooksOptions } from './record-hooks.js';
export { StreamService, type NewPost, type StreamPage } from './stream-service.js';
export { parseStreamQuery, type StreamFilter, type StreamQuery } from './stream-query.js';
export { follow, unfollow, unfollowAll } from './subscriptions.js';
