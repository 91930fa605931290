/**
 * Related demo records for the newest demo accounts, so that every link of an account shows a full list:
 * contacts (primary and with roles, some inactive), opportunities, cases, calls, meetings, tasks and emails
 * with the account as parent (and `accountId`), documents, target lists (some opted out), portal users,
 * teams, and a few stream notes including posts. Written straight to storage in batched inserts inside
 * one transaction, and only for a bounded number of accounts, so large seeds stay fast.
 */
import { inTransaction } from '../db/locks.js';
import type { Insertable, Kysely } from 'kysely';
import { insertChunked } from '../db/insert-chunked.js';
import type { Database, NoteTable } from '../db/schema.js';
import { formatDate, formatDateTime } from '../core/time.js';
import { generateId } from '../core/ids.js';
import { personNameOf } from '../read/names.js';

export interface RelatedDemoOptions {
  /** Accounts to enrich (the newest ones come first in lists, so they are what a newcomer opens). */
  readonly accountIds: readonly string[];
  readonly now?: Date;
}

/** How many accounts get related records at most. */
export const RELATED_DEMO_ACCOUNTS = 300;

const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Frances', 'Dennis', 'Radia'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Thompson', 'Allen', 'Ritchie', 'Perlman'];
const ROLES = ['CEO', 'CTO', 'Buyer', 'Accountant', null];
const STAGES = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'];
const CASE_STATUSES = ['New', 'Assigned', 'Pending', 'Closed'];
const TEAMS = ['Sales', 'Support', 'Marketing'];
const TARGET_LISTS = ['Newsletter', 'Webinar invitations', 'Product updates', 'Events'];
const PORTAL_USERS = 5;

type Rows<T extends keyof Database> = Insertable<Database[T]>[];

export async function seedRelatedDemoData(db: Kysely<Database>, options: RelatedDemoOptions): Promise<void> {
  const accountIds = options.accountIds.slice(-RELATED_DEMO_ACCOUNTS).reverse();
  if (accountIds.length === 0) return;
  const now = options.now ?? new Date();
  const pick = <T>(list: readonly T[], index: number): T => list[index % list.length]!;
  const at = (index: number, daysAgo: number) => formatDateTime(new Date(now.getTime() - daysAgo * 86_400_000 - index * 60_000));
  const day = (offsetDays: number) => formatDate(new Date(now.getTime() + offsetDays * 86_400_000));
  const stamp = (index: number, daysAgo: number) => ({ createdAt: at(index, daysAgo), modifiedAt: at(index, daysAgo), createdById: 'system', modifiedById: null, versionNumber: 1 });

  const accounts = new Map(
    (await db.selectFrom('account').select(['id', 'createdAt', 'assignedUserId']).where('id', 'in', accountIds).execute()).map((row) => [row.id, row]),
  );
  const userNames = new Map(
    (await db.selectFrom('user').select(['id', 'firstName', 'lastName', 'userName']).execute()).map((user) => [user.id, personNameOf(user.firstName, user.lastName) ?? user.userName]),
  );

  const rows = {
    team: [] as Rows<'team'>,
    target_list: [] as Rows<'target_list'>,
    user: [] as Rows<'user'>,
    contact: [] as Rows<'contact'>,
    account_contact: [] as Rows<'account_contact'>,
    opportunity: [] as Rows<'opportunity'>,
    case: [] as Rows<'case'>,
    call: [] as Rows<'call'>,
    meeting: [] as Rows<'meeting'>,
    task: [] as Rows<'task'>,
    email: [] as Rows<'email'>,
    document: [] as Rows<'document'>,
    account_document: [] as Rows<'account_document'>,
    account_target_list: [] as Rows<'account_target_list'>,
    account_portal_user: [] as Rows<'account_portal_user'>,
    entity_team: [] as Rows<'entity_team'>,
    note: [] as Rows<'note'>,
  };

  const teamIds = TEAMS.map((name) => {
    const id = generateId();
    rows.team.push({ id, name, description: null, positionList: '[]', createdAt: at(0, 400), modifiedAt: at(0, 400) });
    return id;
  });
  const targetListIds = TARGET_LISTS.map((name, index) => {
    const id = generateId();
    rows.target_list.push({ id, name, description: null, assignedUserId: null, ...stamp(index, 300) });
    return id;
  });
  const portalUserIds = Array.from({ length: PORTAL_USERS }, (_, index) => {
    const id = generateId();
    rows.user.push({
      id, userName: `portal.${index + 1}.${id.slice(-4)}`, firstName: pick(FIRST_NAMES, index + 3), lastName: pick(LAST_NAMES, index + 5), type: 'portal',
      isActive: 1, title: null, salutationName: null, gender: null, authMethod: null, apiKey: null, secretKey: null, passwordHash: null,
      defaultTeamId: null, contactId: null, createdById: 'system', createdAt: at(index, 200), modifiedAt: at(index, 200),
    });
    return id;
  });

  accountIds.forEach((accountId, index) => {
    const account = accounts.get(accountId);
    // Related records go to the account's user (activities need one: the system user when there is none).
    const assignedUserId = account?.assignedUserId ?? 'system';
    const parent = { parentType: 'Account', parentId: accountId, accountId };
    rows.entity_team.push({ entityId: accountId, entityType: 'Account', teamId: pick(teamIds, index) });

    const contactIds = [0, 1, 2].slice(0, 2 + (index % 2)).map((n) => {
      const id = generateId();
      rows.contact.push({
        id, salutationName: null, firstName: pick(FIRST_NAMES, index + n), lastName: pick(LAST_NAMES, index * 3 + n), description: null,
        doNotCall: 0, accountId, campaignId: null, assignedUserId, streamUpdatedAt: null,
        addressStreet: null, addressCity: null, addressState: null, addressCountry: null, addressPostalCode: null, ...stamp(index, 30 + n),
      });
      rows.account_contact.push({ accountId, contactId: id, role: pick(ROLES, index + n), isInactive: n === 2 ? 1 : 0 });
      return id;
    });

    [0, 1].slice(0, 1 + (index % 2)).forEach((n) => {
      rows.opportunity.push({
        id: generateId(), name: `Deal ${index + 1}.${n + 1}`, amount: 1000 * (1 + ((index * 7 + n) % 50)), amountCurrency: 'USD',
        stage: pick(STAGES, index + n), lastStage: pick(STAGES, index + n), probability: 10 * ((index + n) % 10), leadSource: null,
        closeDate: day(30 + n * 30), description: null, accountId, contactId: contactIds[0]!, campaignId: null, assignedUserId, streamUpdatedAt: null, ...stamp(index, 20 + n),
      });
    });
    rows.case.push({
      id: generateId(), name: `Support request ${index + 1}`, status: pick(CASE_STATUSES, index), priority: 'Normal', type: 'Question',
      description: null, accountId, contactId: contactIds[1]!, isInternal: 0, assignedUserId, streamUpdatedAt: null, ...stamp(index, 10),
    });
    const callId = generateId();
    rows.call.push({
      id: callId, name: `Call with account ${index + 1}`, status: 'Held', dateStart: at(index, 5), dateEnd: at(index, 5), direction: 'Outbound',
      description: null, uid: null, assignedUserId, ...parent, ...stamp(index, 6),
    });
    const meetingId = generateId();
    rows.meeting.push({
      id: meetingId, name: `Review meeting ${index + 1}`, status: 'Planned', dateStart: `${day(7)} 10:00:00`, dateEnd: `${day(7)} 11:00:00`,
      dateStartDate: null, dateEndDate: null, isAllDay: 0, description: null, uid: null, joinUrl: null, assignedUserId, streamUpdatedAt: null, ...parent, ...stamp(index, 4),
    });
    rows.task.push({
      id: generateId(), name: `Send proposal ${index + 1}`, status: 'Not Started', priority: 'High', dateStart: null, dateEnd: `${day(3)} 17:00:00`,
      dateStartDate: null, dateEndDate: null, dateCompleted: null, description: null, contactId: null, assignedUserId, streamUpdatedAt: null, ...parent, ...stamp(index, 3),
    });
    rows.email.push({
      id: generateId(), name: `Re: proposal ${index + 1}`, from: 'sales@demo.example', to: 'buyer@customer.example', cc: null, bcc: null, replyTo: null,
      fromString: null, replyToString: null, messageId: null, bodyPlain: 'Thanks, see attached.', body: '<p>Thanks, see attached.</p>', isHtml: 1,
      status: 'Archived', hasAttachment: 0, dateSent: at(index, 2), deliveryDate: null, sendAt: null, isAutoReply: 0, isSystem: 0, assignedUserId, ...parent, ...stamp(index, 2),
    });
    const documentId = generateId();
    rows.document.push({
      id: documentId, name: `Contract ${index + 1}`, fileId: null, status: 'Active', type: 'Contract', publishDate: day(-60), expirationDate: day(300),
      description: null, assignedUserId, ...stamp(index, 60),
    });
    rows.account_document.push({ accountId, documentId });
    [0, 1].slice(0, 1 + (index % 2)).forEach((n) => {
      rows.account_target_list.push({ accountId, targetListId: pick(targetListIds, index + n), optedOut: (index + n) % 5 === 0 ? 1 : 0 });
    });
    if (index < PORTAL_USERS * 2) rows.account_portal_user.push({ accountId, userId: pick(portalUserIds, index) });

    // The account's stream, oldest first: its creation, the call and meeting created under it, the linked document, a post.
    const note = (type: string, daysAgo: number, extra: Partial<Insertable<NoteTable>>): Insertable<NoteTable> => ({
      id: generateId(), type, post: null, data: null, targetType: null, parentId: accountId, parentType: 'Account', relatedId: null, relatedType: null,
      superParentId: null, superParentType: null, isGlobal: 0, isInternal: 0, isPinned: 0, createdById: 'system', modifiedById: null,
      createdAt: at(index, daysAgo), modifiedAt: at(index, daysAgo), ...extra,
    });
    const assignee = account?.assignedUserId;
    rows.note.push(
      note('Create', 0, {
        createdAt: account?.createdAt ?? at(index, 400),
        modifiedAt: account?.createdAt ?? at(index, 400),
        data: JSON.stringify(assignee ? { assignedUserId: assignee, assignedUserName: userNames.get(assignee) ?? null } : {}),
      }),
    );
    rows.note.push(note('CreateRelated', 6, { relatedId: callId, relatedType: 'Call' }));
    rows.note.push(note('CreateRelated', 4, { relatedId: meetingId, relatedType: 'Meeting' }));
    rows.note.push(note('Relate', 3, { relatedId: documentId, relatedType: 'Document' }));
    if (index % 3 === 0) rows.note.push(note('Post', 1, { post: `Renewal call booked for account ${index + 1}.`, data: '{}' }));
  });

  await inTransaction(db, async (trx) => {
    for (const [table, list] of Object.entries(rows) as [keyof typeof rows, Rows<keyof typeof rows>][]) {
      await insertChunked(trx, table, list as never);
    }
    // Notes are numbered in insertion order; the newest note's time is the account's streamUpdatedAt.
    for (const accountId of accountIds) {
      const latest = rows.note.filter((n) => n.parentId === accountId).map((n) => String(n.createdAt)).sort().at(-1);
      if (latest) await trx.updateTable('account').set({ streamUpdatedAt: latest }).where('id', '=', accountId).execute();
    }
  });
}
