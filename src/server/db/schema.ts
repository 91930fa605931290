/**
 * Table types of the storage schema created by the migrations in ./migrations.
 *
 * Conventions (shared by both engines):
 * - column names are EspoCRM API attribute names (camelCase) so rows map to records without renaming;
 * - booleans are integers 0/1 (`Flag`), converted to JS booleans by the record layer;
 * - date-times are `YYYY-MM-DD HH:MM:SS` strings in UTC, dates `YYYY-MM-DD` (sort and compare as text);
 * - JSON values are text.
 */
import type { Generated } from 'kysely';

/** 0 or 1. */
export type Flag = number;
type Str = string | null;

interface Base {
  id: string;
  deleted: Generated<Flag>;
  createdAt: Str;
  modifiedAt: Str;
  versionNumber: Generated<number>;
}

interface Authored {
  createdById: Str;
  modifiedById: Str;
}

interface Assigned {
  assignedUserId: Str;
}

interface Streamed {
  streamUpdatedAt: Str;
}

type AddressPart = 'Street' | 'City' | 'State' | 'Country' | 'PostalCode';
type Address<P extends string> = { [K in `${P}${AddressPart}`]: Str };

interface Parented {
  parentId: Str;
  parentType: Str;
}

export interface UserTable extends Base {
  userName: string;
  /** '0' for live users; set to the id on deletion so the user name can be reused (EspoCRM `deleteId`). */
  deleteId: Generated<string>;
  type: Generated<string>;
  isActive: Generated<Flag>;
  salutationName: Str;
  firstName: Str;
  lastName: Str;
  title: Str;
  gender: Str;
  authMethod: Str;
  apiKey: Str;
  secretKey: Str;
  passwordHash: Str;
  defaultTeamId: Str;
  contactId: Str;
  createdById: Str;
}

export interface TeamTable extends Base {
  name: Str;
  description: Str;
  positionList: Str;
}

export interface RoleTable extends Base {
  name: string;
  assignmentPermission: Str;
  userPermission: Str;
  messagePermission: Str;
  portalPermission: Str;
  groupEmailAccountPermission: Str;
  exportPermission: Str;
  massUpdatePermission: Str;
  dataPrivacyPermission: Str;
  followerManagementPermission: Str;
  auditPermission: Str;
  mentionPermission: Str;
  userCalendarPermission: Str;
  lockPermission: Str;
  data: Str;
  fieldData: Str;
}

export interface CampaignTable extends Base, Authored, Assigned {
  name: string;
  status: Str;
  type: Str;
}

export interface AttachmentTable extends Base {
  name: Str;
  type: Str;
  size: number | null;
  role: Str;
  parentId: Str;
  parentType: Str;
  relatedId: Str;
  relatedType: Str;
  createdById: Str;
}

export type AccountTable = Base &
  Authored &
  Assigned &
  Streamed &
  Address<'billingAddress'> &
  Address<'shippingAddress'> & {
    name: string;
    website: Str;
    type: Str;
    industry: Str;
    sicCode: Str;
    description: Str;
    campaignId: Str;
    isLocked: Generated<Flag>;
  };

export type ContactTable = Base &
  Authored &
  Assigned &
  Streamed &
  Address<'address'> & {
    salutationName: Str;
    firstName: Str;
    lastName: string;
    description: Str;
    doNotCall: Generated<Flag>;
    accountId: Str;
    campaignId: Str;
  };

export interface OpportunityTable extends Base, Authored, Assigned, Streamed {
  name: string;
  amount: number | null;
  amountCurrency: Str;
  stage: Str;
  lastStage: Str;
  probability: number | null;
  leadSource: Str;
  closeDate: Str;
  description: Str;
  accountId: Str;
  contactId: Str;
  campaignId: Str;
}

export interface CaseTable extends Base, Authored, Assigned, Streamed {
  /** Autoincrement; the table's primary key (SQLite allows AUTOINCREMENT only there), `id` is unique. */
  number: Generated<number>;
  name: string;
  status: Str;
  priority: Str;
  type: Str;
  description: Str;
  accountId: Str;
  contactId: Str;
  isInternal: Generated<Flag>;
}

export interface CallTable extends Base, Authored, Assigned, Parented {
  name: string;
  status: Str;
  dateStart: Str;
  dateEnd: Str;
  direction: Str;
  description: Str;
  accountId: Str;
  uid: Str;
}

export interface MeetingTable extends Base, Authored, Assigned, Streamed, Parented {
  name: string;
  status: Str;
  dateStart: Str;
  dateEnd: Str;
  dateStartDate: Str;
  dateEndDate: Str;
  isAllDay: Generated<Flag>;
  description: Str;
  accountId: Str;
  uid: Str;
  joinUrl: Str;
}

export interface TaskTable extends Base, Authored, Assigned, Streamed, Parented {
  name: string;
  status: Str;
  priority: Str;
  dateStart: Str;
  dateEnd: Str;
  dateStartDate: Str;
  dateEndDate: Str;
  dateCompleted: Str;
  description: Str;
  accountId: Str;
  contactId: Str;
}

export interface DocumentTable extends Base, Authored, Assigned {
  name: string;
  fileId: Str;
  status: Str;
  type: Str;
  publishDate: Str;
  expirationDate: Str;
  description: Str;
}

export interface EmailTable extends Base, Authored, Assigned, Parented {
  name: string;
  from: Str;
  to: Str;
  cc: Str;
  bcc: Str;
  replyTo: Str;
  fromString: Str;
  replyToString: Str;
  messageId: Str;
  bodyPlain: Str;
  body: Str;
  isHtml: Generated<Flag>;
  status: Str;
  hasAttachment: Generated<Flag>;
  accountId: Str;
  dateSent: Str;
  deliveryDate: Str;
  sendAt: Str;
  isAutoReply: Generated<Flag>;
  isSystem: Generated<Flag>;
}

export interface TargetListTable extends Base, Authored, Assigned {
  name: string;
  description: Str;
}

export interface NoteTable extends Base {
  /** Autoincrement primary key; stream order. */
  number: Generated<number>;
  type: Str;
  post: Str;
  data: Str;
  targetType: Str;
  parentId: Str;
  parentType: Str;
  relatedId: Str;
  relatedType: Str;
  superParentId: Str;
  superParentType: Str;
  isGlobal: Generated<Flag>;
  isInternal: Generated<Flag>;
  isPinned: Generated<Flag>;
  createdById: Str;
  modifiedById: Str;
}

export interface EmailAddressTable {
  id: string;
  name: string;
  /** Lower-cased address; rows are shared by every record using the address (EspoCRM). */
  lower: string;
  invalid: Generated<Flag>;
  optOut: Generated<Flag>;
  deleted: Generated<Flag>;
}

export interface EntityEmailAddressTable {
  entityId: string;
  entityType: string;
  emailAddressId: string;
  primary: Generated<Flag>;
  deleted: Generated<Flag>;
}

export interface PhoneNumberTable {
  id: string;
  name: string;
  type: Str;
  /** Digits only, for numeric search. */
  numeric: Str;
  invalid: Generated<Flag>;
  optOut: Generated<Flag>;
  deleted: Generated<Flag>;
}

export interface EntityPhoneNumberTable {
  entityId: string;
  entityType: string;
  phoneNumberId: string;
  primary: Generated<Flag>;
  deleted: Generated<Flag>;
}

export interface EntityTeamTable {
  entityId: string;
  entityType: string;
  teamId: string;
  deleted: Generated<Flag>;
}

export interface AccountContactTable {
  accountId: string;
  contactId: string;
  role: Str;
  isInactive: Generated<Flag>;
  deleted: Generated<Flag>;
}

export interface AccountDocumentTable {
  accountId: string;
  documentId: string;
  deleted: Generated<Flag>;
}

export interface AccountTargetListTable {
  accountId: string;
  targetListId: string;
  optedOut: Generated<Flag>;
  deleted: Generated<Flag>;
}

export interface AccountPortalUserTable {
  accountId: string;
  userId: string;
  deleted: Generated<Flag>;
}

export interface TeamUserTable {
  teamId: string;
  userId: string;
  role: Str;
  deleted: Generated<Flag>;
}

export interface RoleUserTable {
  roleId: string;
  userId: string;
  deleted: Generated<Flag>;
}

export interface RoleTeamTable {
  roleId: string;
  teamId: string;
  deleted: Generated<Flag>;
}

export interface StreamSubscriptionTable {
  entityId: string;
  entityType: string;
  userId: string;
}

export interface StarSubscriptionTable {
  entityId: string;
  entityType: string;
  userId: string;
  createdAt: Str;
}

/** Non-deleted rows of an entity table: the sum of its stripes (migration 0003, db/entity-counts.ts). */
export interface EntityCountTable {
  tableName: string;
  stripe: number;
  /** PostgreSQL returns a bigint as a string. */
  total: Generated<number | string>;
}

export interface Database {
  user: UserTable;
  team: TeamTable;
  role: RoleTable;
  campaign: CampaignTable;
  attachment: AttachmentTable;
  account: AccountTable;
  contact: ContactTable;
  opportunity: OpportunityTable;
  case: CaseTable;
  call: CallTable;
  meeting: MeetingTable;
  task: TaskTable;
  document: DocumentTable;
  email: EmailTable;
  target_list: TargetListTable;
  note: NoteTable;
  email_address: EmailAddressTable;
  entity_email_address: EntityEmailAddressTable;
  phone_number: PhoneNumberTable;
  entity_phone_number: EntityPhoneNumberTable;
  entity_team: EntityTeamTable;
  account_contact: AccountContactTable;
  account_document: AccountDocumentTable;
  account_target_list: AccountTargetListTable;
  account_portal_user: AccountPortalUserTable;
  team_user: TeamUserTable;
  role_user: RoleUserTable;
  role_team: RoleTeamTable;
  stream_subscription: StreamSubscriptionTable;
  star_subscription: StarSubscriptionTable;
  entity_count: EntityCountTable;
}

export type TableName = keyof Database;
