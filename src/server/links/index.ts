/** The link endpoints and the consistency rules of related records. */
export { contactAccountLinkHooks, contactAccountRecordHooks } from './contact-accounts.js';
export { combineLinkHooks, type LinkEvent, type LinkHooks } from './hooks.js';
export { LinkService, type LinkServiceOptions } from './link-service.js';
export { deriveFromParent, derivesFromParent, parentAccountHooks } from './parent-account.js';
export { editableLink, listLink, relatedCondition, type ListLink, type ResolvedLink } from './relations.js';
