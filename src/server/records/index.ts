/** The generic record service and what callers pass to it. */
export { allowAll, LevelAccessControl, type AccessControl, type AccessLevel, type AclAction, type Actor, type LevelResolver, type RecordOwnership, type UserType } from './access-control.js';
export { createContext, systemActor, type RequestContext } from './context.js';
export { combineRecordHooks, type AttributeChange, type ChangeSet, type CreatedEvent, type DeletedEvent, type HookContext, type RecordHooks, type UpdatedEvent } from './hooks.js';
export { generateId } from './ids.js';
export { readAttributes, RecordService, type RecordServiceOptions } from './record-service.js';
export type { RecordData } from './values.js';
