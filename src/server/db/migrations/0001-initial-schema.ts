/**
 * The initial schema: every entity of the Account API and its neighbours, EspoCRM's email/phone
 * storage, teams, link tables, stream and star subscriptions, users and roles.
 *
 * Deliberately self-contained (no imports from metadata): a migration must not change when the
 * metadata changes later.
 */
import type { Kysely } from 'kysely';
import {
  createTable,
  date,
  datetime,
  flag,
  float,
  id,
  int,
  longText,
  ref,
  serial,
  text,
  type Columns,
} from './table-builder.js';

const SYSTEM_USER_ID = 'system';

/** id, deleted, createdAt, modifiedAt, versionNumber: every entity table has them. */
const base = (): Columns => ({
  id: id({ primaryKey: true }),
  deleted: flag(),
  createdAt: datetime(),
  modifiedAt: datetime(),
  versionNumber: int({ notNull: true, default: 0 }),
});

/** For tables whose primary key is the autoincrement `number` (SQLite allows AUTOINCREMENT only on it). */
const numberedBase = (): Columns => ({
  number: serial(),
  ...base(),
  id: id({ notNull: true, unique: true }),
});

const authored = (): Columns => ({ createdById: ref('user'), modifiedById: ref('user') });
const assigned = (): Columns => ({ assignedUserId: ref('user') });

const address = (prefix: string): Columns => ({
  [`${prefix}Street`]: text(255),
  [`${prefix}City`]: text(100),
  [`${prefix}State`]: text(100),
  [`${prefix}Country`]: text(100),
  [`${prefix}PostalCode`]: text(40),
});

const parent = (): Columns => ({ parentId: id(), parentType: text(100, { caseSensitive: true }) });

/** Default list order, name search, ownership filter. */
const entityIndexes = (orderBy: string, extra: (readonly string[])[] = []) => [
  ['deleted', orderBy, 'id'],
  ['assignedUserId', 'deleted'],
  ...extra,
];

export async function up(db: Kysely<any>): Promise<void> {
  await createUsersTeamsRoles(db);
  await createCrmEntities(db);
  await createActivities(db);
  await createEmailAndPhoneStorage(db);
  await createLinkTables(db);
  await createStream(db);
  await db
    .insertInto('user')
    .values({ id: SYSTEM_USER_ID, userName: SYSTEM_USER_ID, type: 'system', isActive: 1, lastName: 'System' })
    .execute();
}

async function createUsersTeamsRoles(db: Kysely<any>) {
  await createTable(db, 'team', { ...base(), name: text(100), description: longText(), positionList: longText(true) }, {
    indexes: [['deleted', 'name', 'id']],
  });
  await createTable(
    db,
    'role',
    {
      ...base(),
      name: text(150, { notNull: true }),
      ...Object.fromEntries(
        [
          'assignmentPermission',
          'userPermission',
          'messagePermission',
          'portalPermission',
          'groupEmailAccountPermission',
          'exportPermission',
          'massUpdatePermission',
          'dataPrivacyPermission',
          'followerManagementPermission',
          'auditPermission',
          'mentionPermission',
          'userCalendarPermission',
          'lockPermission',
        ].map((permission) => [permission, text(24)]),
      ),
      data: longText(true),
      fieldData: longText(true),
    },
    { indexes: [['deleted', 'name', 'id']] },
  );
  await createTable(
    db,
    'user',
    {
      ...base(),
      userName: text(50, { notNull: true }),
      deleteId: text(36, { notNull: true, default: '0', caseSensitive: true }),
      type: text(24, { notNull: true, default: 'regular' }),
      isActive: flag(1),
      salutationName: text(255),
      firstName: text(100),
      lastName: text(100),
      title: text(100),
      gender: text(255),
      authMethod: text(24),
      apiKey: text(100, { caseSensitive: true }),
      secretKey: text(100, { caseSensitive: true }),
      passwordHash: text(150, { caseSensitive: true }),
      // No FK: team and contact rows may be created after the user (circular references).
      defaultTeamId: id(),
      contactId: id(),
      createdById: id(),
    },
    {
      uniqueIndexes: [['userName', 'deleteId'], ['apiKey']],
      indexes: [['deleted', 'userName', 'id'], ['type']],
    },
  );
}

async function createCrmEntities(db: Kysely<any>) {
  await createTable(db, 'campaign', { ...base(), ...authored(), ...assigned(), name: text(255, { notNull: true }), status: text(), type: text() }, {
    indexes: entityIndexes('createdAt'),
  });
  await createTable(
    db,
    'attachment',
    {
      ...base(),
      name: text(255),
      type: text(100),
      size: int(),
      role: text(36),
      ...parent(),
      relatedId: id(),
      relatedType: text(100, { caseSensitive: true }),
      createdById: ref('user'),
    },
    { indexes: [['parentId', 'parentType'], ['relatedId', 'relatedType']] },
  );
  await createTable(
    db,
    'account',
    {
      ...base(),
      ...authored(),
      ...assigned(),
      streamUpdatedAt: datetime(),
      name: text(249, { notNull: true }),
      website: text(255),
      type: text(255),
      industry: text(255),
      sicCode: text(40),
      ...address('billingAddress'),
      ...address('shippingAddress'),
      description: longText(),
      campaignId: ref('campaign'),
      isLocked: flag(),
    },
    {
      indexes: [
        ['deleted', 'createdAt', 'id'],
        // `type` rides along so name searches filtered by type are counted from the index alone.
        ['deleted', 'name', 'id', 'type'],
        ['deleted', 'type', 'createdAt', 'id'],
        ['deleted', 'industry', 'type'],
        ['assignedUserId', 'deleted', 'createdAt', 'id'],
        ['campaignId'],
      ],
      uniqueIndexes: [['createdAt', 'id']],
    },
  );
  await createTable(
    db,
    'contact',
    {
      ...base(),
      ...authored(),
      ...assigned(),
      streamUpdatedAt: datetime(),
      salutationName: text(255),
      firstName: text(100),
      lastName: text(100, { notNull: true }),
      description: longText(),
      doNotCall: flag(),
      ...address('address'),
      accountId: ref('account'),
      campaignId: ref('campaign'),
    },
    { indexes: entityIndexes('createdAt', [['deleted', 'firstName', 'lastName'], ['deleted', 'lastName'], ['accountId'], ['campaignId']]) },
  );
  await createTable(
    db,
    'opportunity',
    {
      ...base(),
      ...authored(),
      ...assigned(),
      streamUpdatedAt: datetime(),
      name: text(255, { notNull: true }),
      amount: float(),
      amountCurrency: text(3, { caseSensitive: true }),
      stage: text(255),
      lastStage: text(255),
      probability: int(),
      leadSource: text(255),
      closeDate: date(),
      description: longText(),
      accountId: ref('account'),
      contactId: ref('contact'),
      campaignId: ref('campaign'),
    },
    { indexes: entityIndexes('createdAt', [['deleted', 'name', 'id'], ['stage', 'deleted'], ['accountId'], ['contactId'], ['campaignId']]) },
  );
  await createTable(
    db,
    'case',
    {
      ...numberedBase(),
      ...authored(),
      ...assigned(),
      streamUpdatedAt: datetime(),
      name: text(255, { notNull: true }),
      status: text(255),
      priority: text(255),
      type: text(255),
      description: longText(),
      accountId: ref('account'),
      contactId: ref('contact'),
      isInternal: flag(),
    },
    { indexes: entityIndexes('number', [['deleted', 'name', 'id'], ['status', 'deleted'], ['accountId'], ['contactId']]) },
  );
  await createTable(db, 'document', {
    ...base(),
    ...authored(),
    ...assigned(),
    name: text(255, { notNull: true }),
    fileId: ref('attachment'),
    status: text(255),
    type: text(255),
    publishDate: date(),
    expirationDate: date(),
    description: longText(),
  }, { indexes: entityIndexes('createdAt', [['deleted', 'name', 'id']]) });
  await createTable(db, 'target_list', { ...base(), ...authored(), ...assigned(), name: text(255, { notNull: true }), description: longText() }, {
    indexes: entityIndexes('createdAt', [['deleted', 'name', 'id']]),
  });
}

async function createActivities(db: Kysely<any>) {
  const activity = (): Columns => ({
    ...base(),
    ...authored(),
    ...assigned(),
    name: text(255, { notNull: true }),
    status: text(255),
    description: longText(),
    ...parent(),
    accountId: ref('account'),
  });
  const activityIndexes = (orderBy: string) =>
    entityIndexes(orderBy, [['deleted', 'name', 'id'], ['parentId', 'parentType'], ['accountId'], ['status', 'deleted']]);

  await createTable(db, 'call', { ...activity(), dateStart: datetime(), dateEnd: datetime(), direction: text(255), uid: text(255) }, {
    indexes: activityIndexes('dateStart'),
  });
  await createTable(
    db,
    'meeting',
    {
      ...activity(),
      streamUpdatedAt: datetime(),
      dateStart: datetime(),
      dateEnd: datetime(),
      dateStartDate: date(),
      dateEndDate: date(),
      isAllDay: flag(),
      uid: text(255),
      joinUrl: longText(true),
    },
    { indexes: activityIndexes('dateStart') },
  );
  await createTable(
    db,
    'task',
    {
      ...activity(),
      streamUpdatedAt: datetime(),
      priority: text(255),
      dateStart: datetime(),
      dateEnd: datetime(),
      dateStartDate: date(),
      dateEndDate: date(),
      dateCompleted: datetime(),
      contactId: ref('contact'),
    },
    { indexes: [...activityIndexes('createdAt'), ['contactId']] },
  );
  await createTable(
    db,
    'email',
    {
      ...activity(),
      from: longText(),
      to: longText(),
      cc: longText(),
      bcc: longText(),
      replyTo: longText(),
      fromString: text(255),
      replyToString: text(255),
      messageId: text(255, { caseSensitive: true }),
      bodyPlain: longText(),
      body: longText(),
      isHtml: flag(1),
      hasAttachment: flag(),
      dateSent: datetime(),
      deliveryDate: datetime(),
      sendAt: datetime(),
      isAutoReply: flag(),
      isSystem: flag(),
    },
    { indexes: [...activityIndexes('dateSent'), ['messageId']] },
  );
}

async function createEmailAndPhoneStorage(db: Kysely<any>) {
  await createTable(
    db,
    'email_address',
    { id: id({ primaryKey: true }), name: text(255, { notNull: true }), lower: text(255, { notNull: true }), invalid: flag(), optOut: flag(), deleted: flag() },
    { uniqueIndexes: [['lower']] },
  );
  await createTable(
    db,
    'entity_email_address',
    { entityId: id({ notNull: true }), entityType: text(100, { notNull: true, caseSensitive: true }), emailAddressId: id({ notNull: true, references: 'email_address.id' }), primary: flag(), deleted: flag() },
    { primaryKey: ['entityType', 'entityId', 'emailAddressId'], indexes: [['emailAddressId', 'entityType'], ['entityId', 'primary']] },
  );
  await createTable(
    db,
    'phone_number',
    { id: id({ primaryKey: true }), name: text(36, { notNull: true, caseSensitive: true }), type: text(255), numeric: text(36, { caseSensitive: true }), invalid: flag(), optOut: flag(), deleted: flag() },
    { uniqueIndexes: [['name']], indexes: [['numeric']] },
  );
  await createTable(
    db,
    'entity_phone_number',
    { entityId: id({ notNull: true }), entityType: text(100, { notNull: true, caseSensitive: true }), phoneNumberId: id({ notNull: true, references: 'phone_number.id' }), primary: flag(), deleted: flag() },
    { primaryKey: ['entityType', 'entityId', 'phoneNumberId'], indexes: [['phoneNumberId', 'entityType'], ['entityId', 'primary']] },
  );
}

async function createLinkTables(db: Kysely<any>) {
  const link = async (table: string, near: [string, string], far: [string, string], extra: Columns = {}) => {
    await createTable(
      db,
      table,
      { [near[0]]: id({ notNull: true, references: `${near[1]}.id` }), [far[0]]: id({ notNull: true, references: `${far[1]}.id` }), ...extra, deleted: flag() },
      { primaryKey: [near[0], far[0]], indexes: [[far[0], near[0]]] },
    );
  };
  await createTable(
    db,
    'entity_team',
    { entityId: id({ notNull: true }), entityType: text(100, { notNull: true, caseSensitive: true }), teamId: id({ notNull: true, references: 'team.id' }), deleted: flag() },
    { primaryKey: ['entityType', 'entityId', 'teamId'], indexes: [['teamId', 'entityType', 'entityId']] },
  );
  await link('account_contact', ['accountId', 'account'], ['contactId', 'contact'], { role: text(100), isInactive: flag() });
  await link('account_document', ['accountId', 'account'], ['documentId', 'document']);
  await link('account_target_list', ['accountId', 'account'], ['targetListId', 'target_list'], { optedOut: flag() });
  await link('account_portal_user', ['accountId', 'account'], ['userId', 'user']);
  await link('team_user', ['teamId', 'team'], ['userId', 'user'], { role: text(100) });
  await link('role_user', ['roleId', 'role'], ['userId', 'user']);
  await link('role_team', ['roleId', 'role'], ['teamId', 'team']);
}

async function createStream(db: Kysely<any>) {
  await createTable(
    db,
    'note',
    {
      ...numberedBase(),
      type: text(24),
      post: longText(),
      data: longText(true),
      targetType: text(7),
      ...parent(),
      relatedId: id(),
      relatedType: text(100, { caseSensitive: true }),
      superParentId: id(),
      superParentType: text(100, { caseSensitive: true }),
      isGlobal: flag(),
      isInternal: flag(),
      isPinned: flag(),
      ...authored(),
    },
    {
      indexes: [
        ['parentId', 'parentType', 'number'],
        ['superParentId', 'superParentType', 'number'],
        ['relatedId', 'relatedType'],
        ['createdById', 'number'],
        ['createdAt'],
        ['type'],
      ],
    },
  );
  const subscription = (extra: Columns = {}): Columns => ({
    entityId: id({ notNull: true }),
    entityType: text(100, { notNull: true, caseSensitive: true }),
    userId: id({ notNull: true, references: 'user.id' }),
    ...extra,
  });
  await createTable(db, 'stream_subscription', subscription(), {
    primaryKey: ['userId', 'entityType', 'entityId'],
    indexes: [['entityId', 'entityType']],
  });
  await createTable(db, 'star_subscription', subscription({ createdAt: datetime() }), {
    primaryKey: ['userId', 'entityType', 'entityId'],
    indexes: [['entityId', 'entityType']],
  });
}
