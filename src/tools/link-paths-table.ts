/**
 * The one table behind the generated path files in openapi/paths/ (npm run gen:paths, src/tools/gen-paths.ts).
 *
 * Each row states only what differs between files; the shared wording (search parameters, access rules, the
 * relate/unrelate sentences) lives in the generator. Prose is written one sentence per array element and joined
 * with single spaces, so the bundled descriptions are exactly the text written here.
 */

/** A sentence, or a sentence that only the list operation (GET) states, not the relate operation (POST). */
export type Sentence = string | { listOnly: string };

export interface LinkRow {
  /** Link name as in the URL, `/Account/{id}/<link>`; operationIds and example names derive from it. */
  link: string;
  /** Entity type of the related records (schema `<entity>List`, access rules). */
  entity: string;
  /** Plural noun phrase used in summaries, e.g. `calls`, `portal users`; links ending in `Primary` add ` (primary)`. */
  words: string;
  /** What the link is and what linking/unlinking does, stated once for GET and POST. */
  about: Sentence[];
  /** false when linking an already linked record does not simply succeed (the relate text then leaves that out). */
  relinkSucceeds?: false;
}

export const LINKS: LinkRow[] = [
  {
    link: 'calls',
    entity: 'Call',
    words: 'calls',
    about: [
      'Calls whose parent is the account (`parentType: Account`).',
      "Linking sets the call's parent to the account, taking it from its previous parent; unlinking clears the parent.",
      "The link is audited: linking and unlinking write `Relate` and `Unrelate` notes to the account's stream.",
    ],
  },
  {
    link: 'callsPrimary',
    entity: 'Call',
    words: 'calls',
    about: [
      'Calls whose account (`accountId`) is this account.',
      "EspoCRM derives a call's account from its parent, so this also lists calls whose parent is a contact, opportunity or case of the account.",
      "Linking sets the call's `accountId`, moving the call from its previous account; unlinking clears it.",
    ],
  },
  {
    link: 'cases',
    entity: 'Case',
    words: 'cases',
    about: [
      'Cases of the account (`accountId`).',
      'A case belongs to at most one account: linking moves it from its previous account; unlinking clears `accountId`.',
    ],
  },
  {
    link: 'contacts',
    entity: 'Contact',
    words: 'contacts',
    about: [
      'Contacts linked to the account (many-to-many, stored with the relation columns `role` and `isInactive`).',
      'Each listed contact carries them as `accountRole` and `accountIsInactive`; without `select`, EspoCRM returns only a few attributes per contact (see `Contact`), so select what you need (e.g. `select=name,accountRole`).',
      {
        listOnly:
          'With `select`, each contact also carries `accountId` and `accountName`, which EspoCRM adds to every select of contacts (recordDefs `mandatoryAttributeList`), and `accountIsInactive`.',
      },
      'Linking a contact that has no primary account also sets its `accountId`; unlinking clears `accountId` when it pointed to this account.',
      'Re-linking a linked contact succeeds.',
      'The relation columns can only be written through the contact (`accountsColumns`).',
    ],
  },
  {
    link: 'contactsPrimary',
    entity: 'Contact',
    words: 'contacts',
    about: [
      'Contacts whose primary account (`accountId`) is this account.',
      'Linking moves the contact from its previous primary account; unlinking clears `accountId`.',
    ],
  },
  {
    link: 'documents',
    entity: 'Document',
    words: 'documents',
    about: [
      'Documents linked to the account (many-to-many).',
      "The link is audited: linking and unlinking write `Relate` and `Unrelate` notes to the account's stream.",
    ],
  },
  {
    link: 'emails',
    entity: 'Email',
    words: 'emails',
    about: [
      'Emails whose parent is the account.',
      "Linking sets the email's parent to the account, taking it from its previous parent; unlinking clears the parent.",
    ],
  },
  {
    link: 'emailsPrimary',
    entity: 'Email',
    words: 'emails',
    about: [
      'Emails whose account (`accountId`) is this account, derived from the parent as for calls.',
      'Linking sets `accountId`, moving the email from its previous account; unlinking clears it.',
    ],
  },
  {
    link: 'meetings',
    entity: 'Meeting',
    words: 'meetings',
    about: [
      'Meetings whose parent is the account.',
      "Linking sets the meeting's parent to the account, taking it from its previous parent; unlinking clears the parent.",
      "The link is audited: linking and unlinking write `Relate` and `Unrelate` notes to the account's stream.",
    ],
  },
  {
    link: 'meetingsPrimary',
    entity: 'Meeting',
    words: 'meetings',
    about: [
      'Meetings whose account (`accountId`) is this account, derived from the parent as for calls.',
      'Linking sets `accountId`, moving the meeting from its previous account; unlinking clears it.',
    ],
  },
  {
    link: 'opportunities',
    entity: 'Opportunity',
    words: 'opportunities',
    about: [
      'Opportunities of the account (`accountId`).',
      "The link only takes opportunities that have no account yet (EspoCRM's `linkOnlyNotLinked`): linking an opportunity that already has an account answers 403 `cannotLinkAlreadyLinked`, even when it is this same account.",
      'Unlinking clears `accountId`.',
    ],
    relinkSucceeds: false,
  },
  {
    link: 'portalUsers',
    entity: 'User',
    words: 'portal users',
    about: ['Portal users linked to the account (many-to-many); a portal user sees the records of its accounts.'],
  },
  {
    link: 'targetLists',
    entity: 'TargetList',
    words: 'target lists',
    about: [
      'Target lists the account is on (many-to-many, stored with the relation column `optedOut`).',
      'Each listed target list carries it as `isOptedOut`; without `select`, EspoCRM returns only a few attributes per list, so select what you need.',
    ],
  },
  {
    link: 'tasks',
    entity: 'Task',
    words: 'tasks',
    about: [
      'Tasks whose parent is the account.',
      "Linking sets the task's parent to the account, taking it from its previous parent; unlinking clears the parent.",
    ],
  },
  {
    link: 'tasksPrimary',
    entity: 'Task',
    words: 'tasks',
    about: [
      'Tasks whose account (`accountId`) is this account, derived from the parent as for calls.',
      'Linking sets `accountId`, moving the task from its previous account; unlinking clears it.',
    ],
  },
  {
    link: 'teams',
    entity: 'Team',
    words: 'teams',
    about: [
      "Teams of the account; the same set as the account's `teamsIds`.",
      'Users of these teams get `team`-level access to the account.',
    ],
  },
];

export interface EntityRow {
  /** Entity type: paths `/<entity>` (create) and `/<entity>/{id}` (get, delete). */
  entity: string;
  /** Singular noun with its article, e.g. `a call`, `an email`. */
  one: string;
  /** Plural noun, e.g. `calls`, `target lists`. */
  many: string;
  /** The Account links the records take part in, completing "<Many> relate to accounts through …". */
  links: string;
}

export const ENTITIES: EntityRow[] = [
  { entity: 'Contact', one: 'a contact', many: 'contacts', links: '`contacts` (many-to-many) and `contactsPrimary` (`accountId`)' },
  { entity: 'Opportunity', one: 'an opportunity', many: 'opportunities', links: '`opportunities` (`accountId`)' },
  { entity: 'Case', one: 'a case', many: 'cases', links: '`cases` (`accountId`)' },
  { entity: 'Call', one: 'a call', many: 'calls', links: '`calls` (`parentId`/`parentType`) and `callsPrimary` (`accountId`)' },
  { entity: 'Meeting', one: 'a meeting', many: 'meetings', links: '`meetings` (`parentId`/`parentType`) and `meetingsPrimary` (`accountId`)' },
  { entity: 'Task', one: 'a task', many: 'tasks', links: '`tasks` (`parentId`/`parentType`) and `tasksPrimary` (`accountId`)' },
  { entity: 'Document', one: 'a document', many: 'documents', links: '`documents` (many-to-many)' },
  { entity: 'Email', one: 'an email', many: 'emails', links: '`emails` (`parentId`/`parentType`) and `emailsPrimary` (`accountId`)' },
  { entity: 'TargetList', one: 'a target list', many: 'target lists', links: '`targetLists` (many-to-many)' },
  { entity: 'Team', one: 'a team', many: 'teams', links: '`teams`' },
];
