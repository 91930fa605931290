/**
 * Email (entityDefs/Email.json), simplified: EspoCRM keeps from/to/cc/bcc in email-address relations;
 * here they are stored as the `;`-separated strings the API exchanges.
 */
import { createdModifiedFields, createdModifiedLinks, ownershipFields, ownershipLinks, parentLink } from './common.js';
import { defineEntity } from './entity.js';

export const emailStatusOptions = ['Draft', 'Sending', 'Sent', 'Archived', 'Failed'] as const;
export const emailParentTypes = ['Account', 'Contact', 'Opportunity', 'Case'] as const;

export const email = defineEntity({
  entityType: 'Email',
  table: 'email',
  fields: {
    name: { type: 'varchar', required: true },
    from: { type: 'varchar', required: true },
    to: { type: 'text', required: true },
    cc: { type: 'text' },
    bcc: { type: 'text' },
    replyTo: { type: 'text' },
    fromString: { type: 'varchar' },
    replyToString: { type: 'varchar' },
    messageId: { type: 'varchar', maxLength: 255, readOnly: true },
    bodyPlain: { type: 'text', readOnly: true },
    body: { type: 'wysiwyg' },
    isHtml: { type: 'bool', default: true },
    status: { type: 'enum', options: emailStatusOptions, default: 'Archived' },
    hasAttachment: { type: 'bool', readOnly: true },
    parent: { type: 'linkParent', entityList: emailParentTypes },
    account: { type: 'link', readOnly: true, entity: 'Account' },
    dateSent: { type: 'datetime' },
    deliveryDate: { type: 'datetime', readOnly: true },
    sendAt: { type: 'datetime' },
    isAutoReply: { type: 'bool', readOnly: true },
    isSystem: { type: 'bool', readOnly: true },
    ...createdModifiedFields,
    ...ownershipFields,
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('Email'),
    account: { type: 'belongsTo', entity: 'Account', key: 'accountId' },
    parent: parentLink(emailParentTypes),
  },
  mandatoryAttributes: ['name', 'createdById', 'dateSent', 'fromString', 'fromEmailAddressId', 'fromEmailAddressName', 'parentId', 'parentType', 'isHtml', 'isReplied', 'status', 'accountId', 'folderId', 'messageId', 'sentById', 'replyToString', 'hasAttachment', 'groupFolderId', 'groupStatusFolder'],
  collection: { orderBy: 'dateSent', order: 'desc', textFilterFields: ['name', 'bodyPlain', 'body'] },
  boolFilters: ['onlyMy', 'shared'],
});
