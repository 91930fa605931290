/** The Account stream: list, follow, unfollow, and posting and deleting through `POST /Note`, `DELETE /Note/{id}`. */
import { toNote, toNoteList } from '../http/contract-records.js';
import type { Handler } from '../http/operations.js';
import type { Services } from '../services.js';
import { contextOf } from './accounts.js';

type StreamOps = 'listAccountStream' | 'followAccount' | 'unfollowAccount' | 'createNote' | 'deleteNote';

export function streamHandlers(services: Services): { [K in StreamOps]: Handler<K> } {
  const { stream } = services;
  return {
    listAccountStream: async (input) => toNoteList(await stream.list('Account', input.path.id, input.list, await contextOf(services, input))),
    followAccount: async (input) => stream.follow('Account', input.path.id, await contextOf(services, input)),
    unfollowAccount: async (input) => stream.unfollow('Account', input.path.id, await contextOf(services, input)),
    createNote: async (input) => {
      // The contract validated the body: a Post with parentType and parentId; `post` is optional.
      const body = input.body!;
      const note = {
        parentType: body.parentType,
        parentId: body.parentId,
        ...(body.post !== undefined ? { post: body.post } : {}),
        ...(body.isInternal !== undefined ? { isInternal: body.isInternal } : {}),
      };
      return toNote(await stream.post(note, await contextOf(services, input)));
    },
    deleteNote: async (input) => stream.deleteNote(input.path.id, await contextOf(services, input)),
  };
}
